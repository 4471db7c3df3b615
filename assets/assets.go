// Package assets embeds the web pages, fonts, sounds and translations, so
// the server is one file with nothing to install.
package assets

import "embed"

// FS holds everything under web/.
//
//go:embed web
var FS embed.FS

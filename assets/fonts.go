package assets

import "embed"

// Fonts holds the ticket fonts: DejaVu Sans cut down to the five visitor
// languages' scripts (fonts/make-subset.sh), with its licence. They are
// kept out of web/ because only the PDF needs them.
//
//go:embed fonts/*.ttf fonts/*.map fonts/LICENSE-DejaVu.txt
var Fonts embed.FS

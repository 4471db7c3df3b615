package ticketpdf

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/jung-kurt/gofpdf"

	"langelis/assets"
)

// A ticket is set in single-byte fonts rather than gofpdf's UTF-8 fonts:
// gofpdf parses a UTF-8 font, hashes its 65,536 widths and cuts a subset of
// it for every document, which is most of the ~15 ms a ticket used to take.
// A single-byte font is a small definition and a ready-compressed font file,
// prepared once per process. Two code pages cover the six languages:
// Windows-1257 (Baltic: Lithuanian, Polish, English) and Windows-1251
// (Cyrillic: Russian, Ukrainian, Bulgarian). Each string is set in the first code page
// that has all its letters.

// codepage is one encoding with the regular and bold fonts made for it.
type codepage struct {
	name      string        // cp1257
	enc       map[rune]byte // the letters above ASCII
	json, z   [2][]byte     // font definition and compressed font file: regular, bold
	registerd [2]string     // the family name gofpdf knows it by
}

var (
	pagesOnce sync.Once
	pages     []*codepage
	pagesErr  error
)

// codepages prepares the fonts of both code pages, once.
func codepages() ([]*codepage, error) {
	pagesOnce.Do(func() { pages, pagesErr = makeCodepages() })
	return pages, pagesErr
}

func makeCodepages() ([]*codepage, error) {
	dir, err := os.MkdirTemp("", "langelis-fonts-")
	if err != nil {
		return nil, fmt.Errorf("ticketpdf: fonts: %w", err)
	}
	defer os.RemoveAll(dir)
	fonts := [2]string{"DejaVuSans-ticket", "DejaVuSans-Bold-ticket"}
	// MakeFont writes each code page's differences from Windows-1252.
	if err := copyAsset("fonts/cp1252.map", filepath.Join(dir, "cp1252.map")); err != nil {
		return nil, err
	}
	for _, f := range fonts {
		if err := copyAsset("fonts/"+f+".ttf", filepath.Join(dir, f+".ttf")); err != nil {
			return nil, err
		}
	}
	var out []*codepage
	for _, name := range []string{"cp1257", "cp1251"} {
		cp := &codepage{name: name, enc: map[rune]byte{}}
		mapFile := filepath.Join(dir, name+".map")
		if err := copyAsset("fonts/"+name+".map", mapFile); err != nil {
			return nil, err
		}
		m, _ := os.ReadFile(mapFile)
		sc := bufio.NewScanner(bytes.NewReader(m))
		for sc.Scan() {
			var code, uv uint32
			var glyph string
			if _, err := fmt.Sscanf(strings.TrimSpace(sc.Text()), "!%2X U+%4X %s", &code, &uv, &glyph); err == nil && code >= 0x80 {
				cp.enc[rune(uv)] = byte(code)
			}
		}
		out2 := filepath.Join(dir, name)
		if err := os.Mkdir(out2, 0o755); err != nil {
			return nil, fmt.Errorf("ticketpdf: fonts: %w", err)
		}
		for i, f := range fonts {
			if err := gofpdf.MakeFont(filepath.Join(dir, f+".ttf"), mapFile, out2, nil, true); err != nil {
				return nil, fmt.Errorf("ticketpdf: make font %s %s: %w", f, name, err)
			}
			if cp.json[i], err = os.ReadFile(filepath.Join(out2, f+".json")); err != nil {
				return nil, fmt.Errorf("ticketpdf: fonts: %w", err)
			}
			if cp.z[i], err = os.ReadFile(filepath.Join(out2, f+".z")); err != nil {
				return nil, fmt.Errorf("ticketpdf: fonts: %w", err)
			}
			cp.registerd[i] = "dv" + name[2:]
		}
		out = append(out, cp)
	}
	return out, nil
}

func copyAsset(name, to string) error {
	b, err := assets.Fonts.ReadFile(name)
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		return fmt.Errorf("ticketpdf: fonts: %w", err)
	}
	return nil
}

// covers reports whether every letter of s is in the code page.
func (cp *codepage) covers(s string) bool {
	for _, r := range s {
		if _, ok := cp.enc[r]; !ok && r >= 0x80 {
			return false
		}
	}
	return true
}

// encode turns s into the code page's bytes; a letter it lacks becomes "?".
func (cp *codepage) encode(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch c, ok := cp.enc[r]; {
		case r < 0x80:
			b = append(b, byte(r))
		case ok:
			b = append(b, c)
		default:
			b = append(b, '?')
		}
	}
	return string(b)
}

// typesetter sets each string in the code page that has its letters,
// adding a code page's font to the document only when first used.
type typesetter struct {
	pdf   *gofpdf.Fpdf
	pages []*codepage
	added map[string]bool
}

// font selects the font for text in style ("" or "B") and size, and
// returns text encoded for it.
func (ts *typesetter) font(style string, size float64, text string) string {
	cp := ts.pages[0]
	for _, p := range ts.pages {
		if p.covers(text) {
			cp = p
			break
		}
	}
	i := 0
	if style == "B" {
		i = 1
	}
	key := cp.registerd[i] + style
	if !ts.added[key] {
		ts.pdf.AddFontFromBytes(cp.registerd[i], style, cp.json[i], cp.z[i])
		ts.added[key] = true
	}
	ts.pdf.SetFont(cp.registerd[i], style, size)
	return cp.encode(text)
}

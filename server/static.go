package server

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"langelis/assets"
	"langelis/i18n"
	"langelis/queue"
)

// staticRoutes serves the embedded pages. Each page is one HTML file; the
// page routes map their friendly paths onto it.
func (s *Server) staticRoutes() {
	web, err := fs.Sub(assets.FS, "web")
	if err != nil {
		panic("server: embedded assets: " + err.Error())
	}
	files := http.FileServerFS(filesOnly{web})
	s.echo.GET("/", s.page(web, "index.html"))
	// The pages; each is one HTML file under assets/web that loads its
	// JavaScript module from /static/js/.
	s.echo.GET("/kiosk", s.page(web, "kiosk.html"))
	s.echo.GET("/take", s.page(web, "take.html"))
	s.echo.GET("/t/:token", s.page(web, "status.html"))
	s.echo.GET("/display", s.page(web, "display.html"))
	s.echo.GET("/display/desk/:n", s.page(web, "counter.html"))
	s.echo.GET("/desk", s.page(web, "desk.html"))
	// The admin pages share one frame (admin-frame.html).
	s.echo.GET("/admin", s.adminPage(web, "admin.html"))
	s.echo.GET("/admin/people", s.adminPage(web, "admin-people.html"))
	s.echo.GET("/admin/live", s.adminPage(web, "admin-live.html"))
	s.echo.GET("/admin/audit", s.adminPage(web, "audit.html"))
	s.echo.GET("/admin/reports", s.adminPage(web, "reports.html"))
	s.echo.GET("/admin/feedback", s.adminPage(web, "admin-feedback.html"))
	s.echo.GET("/admin/webhooks", s.adminPage(web, "admin-webhooks.html"))
	s.echo.GET("/results", s.page(web, "results.html"))
	s.echo.GET("/feedback", s.page(web, "feedback.html"))
	s.echo.GET("/feedback/desk/:n", s.page(web, "feedback-desk.html"))
	s.echo.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", files)))
	// Every page links its icon; this is for what asks the old way.
	s.echo.GET("/favicon.ico", func(c echo.Context) error {
		data, err := fs.ReadFile(web, "favicon.svg")
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "max-age=86400")
		return c.Blob(http.StatusOK, "image/svg+xml", data)
	})
}

// page serves one embedded HTML file in the office's first language: the
// words its JavaScript puts in later are there from the first paint, so a
// Bulgarian hall's kiosk never flashes the Lithuanian the file is written
// in while its script loads (the script then applies the visitor's
// language, as before).
func (s *Server) page(web fs.FS, name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		data, err := fs.ReadFile(web, name)
		if err != nil {
			return queue.E(queue.ENOTFOUND, "err.page.unknown")
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, pageIn(name, data, s.engine.Office().FirstLanguage()))
	}
}

var (
	// htmlLang is the page's language attribute.
	htmlLang = regexp.MustCompile(`<html lang="[a-z]+"`)
	// textKey is an element with a data-i18n key and text only inside.
	textKey = regexp.MustCompile(`(<[a-zA-Z0-9]+[^<>]*\sdata-i18n="([a-z0-9_.]+)"[^<>]*>)([^<]*)(</)`)

	pagesMu sync.Mutex
	pagesIn = map[[2]string][]byte{} // (file, language) → the page in it
)

// pageIn is the page data in lang: its html lang attribute, and the text
// of each data-i18n element that holds text in the file. A text with a
// placeholder is left to the script, which has the values.
func pageIn(name string, data []byte, lang string) []byte {
	pagesMu.Lock()
	defer pagesMu.Unlock()
	if b, ok := pagesIn[[2]string{name, lang}]; ok {
		return b
	}
	out := htmlLang.ReplaceAll(data, []byte(`<html lang="`+lang+`"`))
	out = textKey.ReplaceAllFunc(out, func(m []byte) []byte {
		g := textKey.FindSubmatch(m)
		text := i18n.T(lang, string(g[2]))
		if len(bytes.TrimSpace(g[3])) == 0 || strings.Contains(text, "{") || text == string(g[2]) {
			return m
		}
		return append(append(append([]byte{}, g[1]...), template.HTMLEscapeString(text)...), g[4]...)
	})
	pagesIn[[2]string{name, lang}] = out
	return out
}

// adminPage serves an admin page put into the admin frame: the page's
// file defines the blocks "title", "head" and "main" (admin-frame.html
// says how). The page is built once, here; a page that does not build is
// a programming error of the embedded files, found by any test that
// starts a server. Like every page it is served in the office's first
// language (pageIn).
func (s *Server) adminPage(web fs.FS, name string) echo.HandlerFunc {
	tpl, err := template.ParseFS(web, "admin-frame.html", name)
	if err != nil {
		panic("server: admin page " + name + ": " + err.Error())
	}
	var b bytes.Buffer
	if err := tpl.ExecuteTemplate(&b, "admin-frame.html", nil); err != nil {
		panic("server: admin page " + name + ": " + err.Error())
	}
	data := b.Bytes()
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, pageIn(name, data, s.engine.Office().FirstLanguage()))
	}
}

// filesOnly is the embedded files without their folders: /static/js/
// answers 404 instead of listing what is in it.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err != nil || st.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}

package server

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"

	"langelis/assets"
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
	s.echo.GET("/", page(web, "index.html"))
	// The pages; each is one HTML file under assets/web that loads its
	// JavaScript module from /static/js/.
	s.echo.GET("/kiosk", page(web, "kiosk.html"))
	s.echo.GET("/take", page(web, "take.html"))
	s.echo.GET("/t/:token", page(web, "status.html"))
	s.echo.GET("/display", page(web, "display.html"))
	s.echo.GET("/display/desk/:n", page(web, "counter.html"))
	s.echo.GET("/desk", page(web, "desk.html"))
	// The admin pages share one frame (admin-frame.html).
	s.echo.GET("/admin", adminPage(web, "admin.html"))
	s.echo.GET("/admin/people", adminPage(web, "admin-people.html"))
	s.echo.GET("/admin/live", adminPage(web, "admin-live.html"))
	s.echo.GET("/admin/audit", adminPage(web, "audit.html"))
	s.echo.GET("/admin/reports", adminPage(web, "reports.html"))
	s.echo.GET("/admin/feedback", adminPage(web, "admin-feedback.html"))
	s.echo.GET("/admin/webhooks", adminPage(web, "admin-webhooks.html"))
	s.echo.GET("/results", page(web, "results.html"))
	s.echo.GET("/feedback", page(web, "feedback.html"))
	s.echo.GET("/feedback/desk/:n", page(web, "feedback-desk.html"))
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

// page serves one embedded HTML file.
func page(web fs.FS, name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		data, err := fs.ReadFile(web, name)
		if err != nil {
			return queue.E(queue.ENOTFOUND, "err.page.unknown")
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, data)
	}
}

// adminPage serves an admin page put into the admin frame: the page's
// file defines the blocks "title", "head" and "main" (admin-frame.html
// says how). The page is built once, here; a page that does not build is
// a programming error of the embedded files, found by any test that
// starts a server.
func adminPage(web fs.FS, name string) echo.HandlerFunc {
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
		return c.HTMLBlob(http.StatusOK, data)
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

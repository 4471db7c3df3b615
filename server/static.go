package server

import (
	"io/fs"
	"langelis/queue"
	"net/http"

	"github.com/labstack/echo/v4"

	"langelis/assets"
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
	s.echo.GET("/admin", page(web, "admin.html"))
	s.echo.GET("/admin/people", page(web, "admin-people.html"))
	s.echo.GET("/admin/live", page(web, "admin-live.html"))
	s.echo.GET("/admin/audit", page(web, "audit.html"))
	s.echo.GET("/admin/reports", page(web, "reports.html"))
	s.echo.GET("/results", page(web, "results.html"))
	s.echo.GET("/feedback", page(web, "feedback.html"))
	s.echo.GET("/feedback/desk/:n", page(web, "feedback-desk.html"))
	s.echo.GET("/admin/feedback", page(web, "admin-feedback.html"))
	s.echo.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", files)))
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

package server_test

import (
	"strings"
	"testing"
)

// Every admin page comes in the one admin frame: the nav adminnav.js
// fills, the admin stylesheet, one main hidden until an admin is signed
// in, and the page's own module.
func TestAdminPagesShareTheFrame(t *testing.T) {
	s := newTS(t)
	for path, module := range map[string]string{"/admin": "admin.js", "/admin/people": "adminpeople.js", "/admin/live": "adminlive.js",
		"/admin/audit": "audit.js", "/admin/reports": "reports.js", "/admin/feedback": "adminfeedback.js",
		"/admin/bookings": "adminbookings.js", "/admin/webhooks": "adminwebhooks.js"} {
		code, data := s.get(path, "")
		page := string(data)
		if code != 200 {
			t.Errorf("%s: %d", path, code)
			continue
		}
		for _, want := range []string{"<nav></nav>", "<main hidden>", `href="/static/css/admin.css"`, `src="/static/js/` + module + `"`, "<title>Langelis – ",
			`<link rel="icon" href="/static/favicon.svg"`} {
			if strings.Count(page, want) != 1 {
				t.Errorf("%s: %q appears %d times, want once:\n%s", path, want, strings.Count(page, want), page)
			}
		}
		if strings.Contains(page, "{{") || strings.Contains(page, "<header>") {
			t.Errorf("%s: a template action or a page's own header is left:\n%s", path, page)
		}
	}
}

package wire

import (
	"net/http"

	"langelis/queue"
)

// The visitors' and everyone's endpoints, and the session.

var (
	html = Content{Type: "text/html", Description: "the page"}
	// unauthorized and forbidden: who is not signed in, and who is but
	// may not.
	adminOnly = []int{http.StatusUnauthorized, http.StatusForbidden}
)

var _ = describe(
	Operation{Method: "GET", Path: "/healthz", Tag: "health", Summary: "The store's health, for a monitor: ok or degraded (200), unavailable (503)",
		Response: Health{}, Errors: []int{http.StatusServiceUnavailable}},
	Operation{Method: "GET", Path: "/metrics", Tag: "health", Auth: "admin", Summary: "Prometheus metrics (also without sign-in on --metrics-addr)",
		Response: Content{Type: "text/plain; version=0.0.4", Description: "Prometheus's text format"}, Errors: append([]int{http.StatusNotFound}, adminOnly...)},
	Operation{Method: "GET", Path: "/api/v1/openapi.json", Public: true, Tag: "health", Summary: "This description",
		Response: Object{Description: "the OpenAPI 3.1 description"}},
	Operation{Method: "GET", Path: "/api/v1/office", Public: true, Tag: "hall", Summary: "The office: services, desks, hours, languages, open now",
		Response: Office{}},
	Operation{Method: "GET", Path: "/api/v1/queue", Tag: "hall", Auth: "anyone; staff see tokens, categories and clerks",
		Summary: "A snapshot of the queue", Response: queue.Snapshot{}, Alt: queue.PublicSnapshot{}},
	Operation{Method: "POST", Path: "/api/v1/tickets", Public: true, Tag: "tickets", Summary: "Take a ticket",
		Request: IssueRequest{}, Response: Ticket{}, Success: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusTooManyRequests, http.StatusServiceUnavailable}},
	Operation{Method: "GET", Path: "/api/v1/tickets/preview", Public: true, Tag: "tickets", Summary: "Where a new ticket would stand, before issuing",
		Params:   []Param{QueryParam("service", "A", "the service letter"), QueryParam("priority", "none", "the priority group"), QueryParam("lang", "en", "language")},
		Response: Preview{}, Errors: []int{http.StatusBadRequest, http.StatusNotFound}},
	Operation{Method: "GET", Path: "/api/v1/tickets/{id}", Public: true, Tag: "tickets", Auth: "token", Summary: "The ticket as its holder sees it",
		Params: []Param{ticketID}, Response: Ticket{}, Errors: []int{http.StatusNotFound}},
	Operation{Method: "POST", Path: "/api/v1/tickets/{id}/cancel", Public: true, Tag: "tickets", Auth: "token", Summary: "Give up the place",
		Params: []Param{ticketID}, Response: Ticket{}, Errors: []int{http.StatusNotFound, http.StatusConflict}},
	Operation{Method: "GET", Path: "/api/v1/tickets/{id}/pdf", Public: true, Tag: "tickets", Auth: "token", Summary: "The printable 80 mm ticket",
		Params: []Param{ticketID}, Response: Content{Type: "application/pdf", Description: "the ticket"}, Errors: []int{http.StatusNotFound}},
	Operation{Method: "GET", Path: "/api/v1/tickets/{id}/qr.svg", Public: true, Tag: "tickets", Auth: "token", Summary: "The ticket's QR code",
		Params: []Param{ticketID}, Response: Content{Type: "image/svg+xml", Description: "the QR code of /t/{id}"}, Errors: []int{http.StatusNotFound}},
	Operation{Method: "POST", Path: "/api/v1/kiosks/{name}/print-failed", Tag: "tickets", Auth: "the kiosk station of that name, or admin",
		Summary: "The station could not print a ticket", Params: []Param{PathParam("name", "k1", "the kiosk's name")},
		Request: PrintFailedRequest{}, Success: http.StatusNoContent,
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict}},
	Operation{Method: "POST", Path: "/api/v1/session", Tag: "session", Summary: "Sign in",
		Request: LoginRequest{}, Response: Session{},
		Errors: []int{http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusServiceUnavailable}},
	Operation{Method: "GET", Path: "/api/v1/session", Tag: "session", Auth: "anyone signed in", Summary: "Who is signed in",
		Response: Session{}, Errors: []int{http.StatusUnauthorized}},
	Operation{Method: "DELETE", Path: "/api/v1/session", Tag: "session", Summary: "Sign out (the clerk's desk closes)",
		Success: http.StatusNoContent},
	Operation{Method: "POST", Path: "/api/v1/session/password", Tag: "session", Auth: "anyone signed in",
		Summary: "Change one's own password", Request: ChangePasswordRequest{}, Success: http.StatusNoContent,
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden}},
	Operation{Method: "GET", Path: "/api/v1/ws", Public: true, Tag: "hall", Auth: "anyone; staff hear more", Upgrade: true,
		Summary: "Live events: a hello, a snapshot or the missed events, then every committed event",
		Params: []Param{QueryParam(ProtocolParam, "3", "the client's protocol version"), QueryParam("since", "0", "the last seq seen"),
			QueryParam(StreamParam, "", "ticket: a ticket stream")},
		Errors: []int{http.StatusBadRequest, http.StatusTooManyRequests, http.StatusServiceUnavailable}},
	Operation{Method: "GET", Path: "/api/v1/results", Public: true, Tag: "reports", Summary: "The published results per month",
		Params: []Param{QueryParam("lang", "en", "language")}, Response: Object{Description: "office and months"}},
	Operation{Method: "GET", Path: "/api/v1/announce", Tag: "hall", Summary: "What the hall display says for a call",
		Params:   []Param{QueryParam("number", "A012", "the ticket number"), QueryParam("desk", "3", "the desk")},
		Response: Object{Description: "the announcement: number, desk, items per language with text and audio"},
		Errors:   []int{http.StatusBadRequest}},
	Operation{Method: "GET", Path: "/api/v1/announce/speech.wav", Tag: "hall", Summary: "The call spoken by espeak-ng",
		Params:   []Param{QueryParam("number", "A012", "the ticket number"), QueryParam("desk", "3", "the desk"), QueryParam("lang", "lt", "language")},
		Response: Content{Type: "audio/wav", Description: "the sentence"}, Errors: []int{http.StatusBadRequest, http.StatusServiceUnavailable}},
)

var ticketID = PathParam("id", "nosuchticket", "the ticket's token")

// The pages: one HTML file each, and their files under /static/.
var _ = describe(
	page("/", "the start page"),
	page("/kiosk", "the touch kiosk"),
	publicPage("/take", "a ticket on the phone"),
	Operation{Method: "GET", Path: "/t/{token}", Public: true, Tag: "pages", Summary: "a ticket's status page", Response: html,
		Params: []Param{PathParam("token", "nosuchticket", "the ticket's token")}},
	page("/display", "the hall display"),
	Operation{Method: "GET", Path: "/display/desk/{n}", Tag: "pages", Summary: "the screen above a desk", Response: html,
		Params: []Param{PathParam("n", "1", "the desk")}},
	page("/desk", "the clerk's desk"),
	page("/admin", "the office's configuration"),
	page("/admin/people", "accounts and sessions"),
	page("/admin/live", "the hall now"),
	page("/admin/audit", "the audit"),
	page("/admin/reports", "reports"),
	page("/admin/webhooks", "webhooks and their deliveries"),
	publicPage("/results", "the published results"),
	publicPage("/privacy", "the privacy notice, from the office's settings (?lang=)"),
	publicPage("/accessibility", "the accessibility statement (Directive (EU) 2016/2102), from the office's settings (?lang=)"),
	Operation{Method: "GET", Path: "/static/{path}", Public: true, Tag: "pages", Summary: "the pages' scripts, styles, fonts and sounds",
		Params: []Param{PathParam("path", "js/wire.js", "the file")}, Response: Content{Type: "*/*", Description: "the file"},
		Errors: []int{http.StatusNotFound}},
	Operation{Method: "GET", Path: "/favicon.ico", Public: true, Tag: "pages", Summary: "the pages' icon (an SVG)",
		Response: Content{Type: "image/svg+xml", Description: "the icon"}},
)

func page(path, what string) Operation {
	return Operation{Method: "GET", Path: path, Tag: "pages", Summary: what, Response: html}
}

// publicPage is a page visitors reach from the Internet too.
func publicPage(path, what string) Operation {
	o := page(path, what)
	o.Public = true
	return o
}

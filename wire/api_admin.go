package wire

import (
	"net/http"

	"langelis/queue"
)

// The office manager's endpoints: accounts, the hall now, the running
// configuration, the audit, the backup, the reports.

var (
	adminErrors   = append([]int{http.StatusNotFound, http.StatusConflict}, adminOnly...)
	letterParam   = PathParam("letter", "A", "the service letter")
	dateParam     = PathParam("date", "2026-12-24", "the day")
	configChanged = queue.Change{}
)

// adminChange is a configuration change: it answers the change recorded.
func adminChange(method, path, summary string, body any, params ...Param) Operation {
	return Operation{Method: method, Path: path, Tag: "configuration", Auth: "admin", Summary: summary, Params: params,
		Request: body, Response: configChanged, Errors: append([]int{http.StatusBadRequest}, adminErrors...)}
}

var _ = describe(
	Operation{Method: "GET", Path: "/api/v1/admin/backup", Tag: "admin", Auth: "admin or local",
		Summary: "A consistent copy of the bbolt file", Response: Content{Type: "application/octet-stream", Description: "the store file"},
		Errors: adminOnly},
	Operation{Method: "GET", Path: "/api/v1/admin/users", Tag: "people", Auth: "admin or local", Summary: "Every account with its sessions",
		Response: []Account{}, Errors: adminOnly},
	Operation{Method: "POST", Path: "/api/v1/admin/users", Tag: "people", Auth: "admin or local", Summary: "Add an account",
		Request: AddUserRequest{}, Response: AccountAnswer{}, Success: http.StatusCreated, Errors: adminErrors},
	Operation{Method: "POST", Path: "/api/v1/admin/users/{username}/{action}", Tag: "people", Auth: "admin or local",
		Summary: "disable, enable (204) or reset-password (the account, with a one-time password when none was given)",
		Params:  []Param{PathParam("username", "nosuchuser", "the account"), PathParam("action", "disable", "the action")},
		Request: ResetPasswordRequest{}, BodyOptional: true, Response: AccountAnswer{}, Also: []int{http.StatusNoContent},
		Errors: adminErrors},
	Operation{Method: "DELETE", Path: "/api/v1/admin/sessions/{id}", Tag: "people", Auth: "admin or local", Summary: "End one session",
		Params: []Param{PathParam("id", "nosuchsession", "the session's id")}, Success: http.StatusNoContent, Errors: adminErrors},
	Operation{Method: "GET", Path: "/api/v1/admin/live", Tag: "admin", Auth: "admin or local", Summary: "The hall now: the day's figures and who is connected",
		Response: Object{Description: "figures and connections"}, Errors: adminOnly},
	Operation{Method: "POST", Path: "/api/v1/admin/services/{letter}/pause", Tag: "admin", Auth: "admin or local",
		Summary: "The desks stop calling the service", Params: []Param{letterParam},
		Request: PauseServiceRequest{}, BodyOptional: true, Response: queue.ServicePause{}, Errors: adminErrors},
	Operation{Method: "POST", Path: "/api/v1/admin/services/{letter}/resume", Tag: "admin", Auth: "admin or local",
		Summary: "The desks call the service again", Params: []Param{letterParam}, Response: queue.ServicePause{}, Errors: adminErrors},
	Operation{Method: "POST", Path: "/api/v1/admin/display-message", Tag: "admin", Auth: "admin or local",
		Summary: "A message on the hall display until a time today", Request: DisplayMessageRequest{}, Response: queue.HallMessage{},
		Errors: adminErrors},
	Operation{Method: "DELETE", Path: "/api/v1/admin/display-message", Tag: "admin", Auth: "admin or local",
		Summary: "Take the display's message down", Success: http.StatusNoContent, Errors: adminErrors},
	Operation{Method: "GET", Path: "/api/v1/admin/audit", Tag: "admin", Auth: "admin", Summary: "Desk actions and changes, filtered; format=csv for a CSV file",
		Params: []Param{QueryParam("from", "", "first day"), QueryParam("to", "", "last day"), QueryParam("actor", "", "who"),
			QueryParam("desk", "", "desk"), QueryParam("kind", "", "kind"), QueryParam("format", "", "csv")},
		Response: Object{Description: "audit rows: at, source, actor, kind, desk, subject, detail"},
		Errors:   append([]int{http.StatusBadRequest}, adminOnly...)},
	Operation{Method: "GET", Path: "/api/v1/admin/config", Tag: "configuration", Auth: "admin",
		Summary:  "The running configuration, how it differs from the office file, the next 8 weeks",
		Response: Object{Description: "running, week, rules, differs, diff, calendar, today"}, Errors: adminOnly},
	Operation{Method: "GET", Path: "/api/v1/admin/config.yaml", Tag: "configuration", Auth: "admin or local",
		Summary: "The running configuration as an office file", Response: Content{Type: "application/yaml", Description: "the office file"},
		Errors: adminOnly},
	adminChange("POST", "/api/v1/admin/services", "Add a service (a retired letter comes back)", ServiceBody{}),
	adminChange("PUT", "/api/v1/admin/services/{letter}", "Change a service", ServiceBody{}, letterParam),
	adminChange("POST", "/api/v1/admin/services/{letter}/retire", "Retire a service", nil, letterParam),
	adminChange("POST", "/api/v1/admin/desks", "Add a desk", DeskBody{}),
	adminChange("PUT", "/api/v1/admin/desks/{desk}", "The services a desk serves", DeskBody{}, deskParam),
	adminChange("POST", "/api/v1/admin/desks/{desk}/retire", "Retire a closed desk", nil, deskParam),
	adminChange("PUT", "/api/v1/admin/hours", "The week's hours, from tomorrow", WeekBody{}),
	adminChange("POST", "/api/v1/admin/holidays", "A holiday", DayBody{}),
	adminChange("DELETE", "/api/v1/admin/holidays/{date}", "Not a holiday any more", nil, dateParam),
	adminChange("PUT", "/api/v1/admin/exceptions", "One day's own hours", DayBody{}),
	adminChange("DELETE", "/api/v1/admin/exceptions/{date}", "The day follows the week again", nil, dateParam),
	adminChange("PUT", "/api/v1/admin/rules", "The office-wide rules", Rules{}),
)

// The reports (admin) and their downloads.
var reportParams = []Param{QueryParam("period", "month", "day, week, month or range"), QueryParam("date", "2026-11-15", "a day in the period"),
	QueryParam("from", "", "range: first day"), QueryParam("to", "", "range: last day"), QueryParam("by", "service", "grouping"),
	QueryParam("lang", "en", "language")}

var _ = describe(
	Operation{Method: "GET", Path: "/api/v1/reports", Tag: "reports", Auth: "admin", Summary: "The report of a period",
		Params: reportParams, Response: Object{Description: "the report"}, Errors: append([]int{http.StatusBadRequest, http.StatusServiceUnavailable}, adminOnly...)},
	Operation{Method: "GET", Path: "/api/v1/reports.csv", Tag: "reports", Auth: "admin", Summary: "One table of the report as CSV",
		Params: append(reportParams, QueryParam("table", "main", "main, refusals or pauses")), Response: Content{Type: "text/csv", Description: "the table"},
		Errors: append([]int{http.StatusBadRequest, http.StatusServiceUnavailable}, adminOnly...)},
	Operation{Method: "GET", Path: "/api/v1/reports.xlsx", Tag: "reports", Auth: "admin", Summary: "Every table of the report, one sheet each",
		Params: reportParams, Response: Content{Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Description: "the workbook"},
		Errors: append([]int{http.StatusBadRequest, http.StatusServiceUnavailable}, adminOnly...)},
	Operation{Method: "GET", Path: "/api/v1/reports/monthly.pdf", Tag: "reports", Auth: "admin", Summary: "The printable monthly report",
		Params:   []Param{QueryParam("month", "2026-11", "the month"), QueryParam("lang", "en", "language")},
		Response: Content{Type: "application/pdf", Description: "the report"}, Errors: append([]int{http.StatusBadRequest, http.StatusServiceUnavailable}, adminOnly...)},
	Operation{Method: "POST", Path: "/api/v1/reports/rebuild", Tag: "reports", Auth: "admin", Summary: "Build a day's figures again from its journal",
		Request: RebuildRequest{}, Response: Rebuilt{}, Errors: append([]int{http.StatusNotFound, http.StatusServiceUnavailable}, adminOnly...)},
)

package wire

import "net/http"

// Satisfaction after service and complaints: the visitor's answer by the
// ticket's token and the public form (both on the public face), the
// tablet beside a desk, and the manager's list, moves and exports.

var feedbackID = PathParam("id", "nosuchfeedback", "the registration number")

var _ = describe(
	Operation{Method: "POST", Path: "/api/v1/tickets/{id}/rating", Public: true, Tag: "feedback", Auth: "token",
		Summary: "The answer after service: a face from 1 to 5 and a comment, once, for a ticket served",
		Params:  []Param{ticketID}, Request: RatingRequest{}, Response: RatingResponse{},
		Errors: []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict}},
	Operation{Method: "POST", Path: "/api/v1/feedback/desk/{n}/rating", Tag: "feedback", Auth: "a kiosk account (the tablet beside the desk), or admin",
		Summary: "The answer after service given on the tablet beside desk n, for the ticket that desk has just served",
		Params:  []Param{PathParam("n", "1", "the desk")}, Request: DeskRatingRequest{}, Response: RatingResponse{},
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict}},
	Operation{Method: "POST", Path: "/api/v1/feedback", Public: true, Tag: "feedback",
		Summary: "A complaint, a suggestion or thanks from the public form; answers the registration number",
		Request: FeedbackRequest{}, Response: FeedbackReceipt{}, Success: http.StatusCreated,
		Errors: []int{http.StatusBadRequest, http.StatusTooManyRequests, http.StatusServiceUnavailable}},
	Operation{Method: "GET", Path: "/api/v1/admin/feedback", Tag: "feedback", Auth: "admin",
		Summary:  "Every registration, newest first, with its contact, age and due day",
		Response: Object{Description: "target_working_days, retention_days and entries"}, Errors: adminOnly},
	Operation{Method: "POST", Path: "/api/v1/admin/feedback/{id}/status", Tag: "feedback", Auth: "admin",
		Summary: "Move a registration to registered, handling or answered, with a note",
		Params:  []Param{feedbackID}, Request: FeedbackStatusRequest{},
		Response: Object{Description: "the registration with its age and due day"},
		Errors:   append([]int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict}, adminOnly...)},
	Operation{Method: "GET", Path: "/api/v1/admin/ratings", Tag: "feedback", Auth: "admin",
		Summary:  "The comments visitors wrote after service in the last days (from the journal), newest first",
		Params:   []Param{QueryParam("days", "14", "how many office days back, 1 to 62; 14 when left out")},
		Response: RatingComments{}, Errors: append([]int{http.StatusBadRequest}, adminOnly...)},
	Operation{Method: "GET", Path: "/api/v1/admin/feedback.csv", Tag: "feedback", Auth: "admin", Summary: "Every registration as CSV",
		Params: []Param{QueryParam("lang", "en", "language")}, Response: Content{Type: "text/csv", Description: "the registrations"},
		Errors: adminOnly},
	Operation{Method: "GET", Path: "/api/v1/admin/feedback.xlsx", Tag: "feedback", Auth: "admin", Summary: "Every registration in one sheet",
		Params:   []Param{QueryParam("lang", "en", "language")},
		Response: Content{Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Description: "the workbook"},
		Errors:   adminOnly},
)

// The feedback pages.
var _ = describe(
	publicPage("/feedback", "complaints, suggestions and thanks (the public form)"),
	Operation{Method: "GET", Path: "/feedback/desk/{n}", Tag: "pages", Summary: "the satisfaction tablet beside a desk", Response: html,
		Params: []Param{PathParam("n", "1", "the desk")}},
	page("/admin/feedback", "complaints and suggestions"),
)

package wire

import (
	"net/http"

	"langelis/queue"
)

// The clerk's desk.

var deskParam = PathParam("desk", "1", "the desk's number")

var _ = describe(
	Operation{Method: "POST", Path: "/api/v1/desks/{desk}/{action}", Tag: "desk", Auth: "the clerk at that desk (or admin)",
		Summary: "A desk action: next, call, recall, start, finish, no-show, return, transfer, refuse, pause, resume, open, close, stay, category; next answers 204 when none waits",
		Params:  []Param{deskParam, PathParam("action", "next", "the action")},
		Request: DeskRequest{}, BodyOptional: true, Response: queue.DeskResult{}, Also: []int{http.StatusNoContent},
		Errors: []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusServiceUnavailable}},
	Operation{Method: "GET", Path: "/api/v1/desks/{desk}", Tag: "desk", Auth: "clerk, admin",
		Summary: "The desk as its clerk's screen shows it", Params: []Param{deskParam, QueryParam("upcoming", "5", "how many waiting tickets to list")},
		Response: queue.DeskView{}, Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}},
	Operation{Method: "POST", Path: "/api/v1/admin/desks/{desk}/close", Tag: "desk", Auth: "admin",
		Summary: "Close the desk whoever holds it; its tickets go back with their place kept", Params: []Param{deskParam},
		Response: queue.DeskResult{}, Errors: append([]int{http.StatusNotFound, http.StatusConflict}, adminOnly...)},
)

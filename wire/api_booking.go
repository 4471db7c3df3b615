package wire

import "net/http"

// The appointments (issue 17; server/booking.go, booking_staff.go): the
// visitor's booking page and calls, the kiosk's check-in, the desk's next
// booked visits and the manager's day of bookings.
//
// The visitor's calls are public: a booking is made, moved and cancelled
// from a phone at home. The check-in is not: the visitor must be in the
// hall (a kiosk, its network, or a clerk), and the public listener treats
// every request as a stranger's from outside.

var (
	bookingCode = PathParam("code", "BCDFGHJK", "the booking's code (8 letters; ABCD-EFGH is read too)")
	// visitorBooking: a code's calls are counted per address, and an
	// unknown code is not found.
	visitorBooking = []int{http.StatusNotFound, http.StatusTooManyRequests}
	serviceQuery   = QueryParam("service", "A", "the service letter")
)

var _ = describe(
	publicPage("/book", "book a time (?service=)"),
	Operation{Method: "GET", Path: "/b/{code}", Public: true, Tag: "pages", Summary: "a booking's page: see, move or cancel it",
		Params: []Param{bookingCode}, Response: html},
	page("/admin/bookings", "the day's bookings and slots"),

	Operation{Method: "GET", Path: "/api/v1/booking/days", Public: true, Tag: "booking",
		Summary: "The days a service may be booked on, with whether any slot still has room",
		Params:  []Param{serviceQuery}, Response: []BookingDay{}, Errors: []int{http.StatusBadRequest, http.StatusServiceUnavailable}},
	Operation{Method: "GET", Path: "/api/v1/booking/slots", Public: true, Tag: "booking", Summary: "The times of a day that still have room",
		Params:   []Param{serviceQuery, QueryParam("day", "2026-12-01", "the day, YYYY-MM-DD")},
		Response: []BookingSlot{}, Errors: []int{http.StatusBadRequest, http.StatusServiceUnavailable}},
	Operation{Method: "POST", Path: "/api/v1/bookings", Public: true, Tag: "booking", Summary: "Book a time",
		Request: BookRequest{}, Response: Booking{}, Success: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusTooManyRequests, http.StatusServiceUnavailable}},
	Operation{Method: "GET", Path: "/api/v1/bookings/{code}", Public: true, Tag: "booking", Auth: "the code",
		Summary: "The booking as its visitor sees it", Params: []Param{bookingCode}, Response: Booking{}, Errors: visitorBooking},
	Operation{Method: "POST", Path: "/api/v1/bookings/{code}/move", Public: true, Tag: "booking", Auth: "the code",
		Summary: "Move the booking to another time", Params: []Param{bookingCode}, Request: MoveBookingRequest{}, Response: Booking{},
		Errors: append([]int{http.StatusConflict, http.StatusServiceUnavailable}, visitorBooking...)},
	Operation{Method: "POST", Path: "/api/v1/bookings/{code}/cancel", Public: true, Tag: "booking", Auth: "the code",
		Summary: "Cancel the booking", Params: []Param{bookingCode}, Response: Booking{},
		Errors: append([]int{http.StatusConflict, http.StatusServiceUnavailable}, visitorBooking...)},
	Operation{Method: "GET", Path: "/api/v1/bookings/{code}/calendar.ics", Public: true, Tag: "booking", Auth: "the code",
		Summary:  "The booking as an iCalendar event (the same UID, a higher SEQUENCE after a move or cancel)",
		Params:   []Param{bookingCode, QueryParam("lang", "", "language")},
		Response: Content{Type: "text/calendar", Description: "the event"}, Errors: visitorBooking},
	Operation{Method: "GET", Path: "/api/v1/bookings/{code}/qr.svg", Public: true, Tag: "booking", Auth: "the code",
		Summary: "The booking's code as a QR code, for the kiosk's camera", Params: []Param{bookingCode},
		Response: Content{Type: "image/svg+xml", Description: "the QR code"}, Errors: visitorBooking},
	Operation{Method: "POST", Path: "/api/v1/bookings/{code}/check-in", Tag: "booking",
		Auth:    "a kiosk station, the kiosks' network, or a clerk or admin (in the hall, never from a phone at home)",
		Summary: "Check in: the booking becomes a ticket in the line", Params: []Param{bookingCode},
		Request: CheckInRequest{}, Response: Ticket{}, Success: http.StatusCreated,
		Errors: append([]int{http.StatusForbidden, http.StatusConflict, http.StatusServiceUnavailable}, visitorBooking...)},

	Operation{Method: "GET", Path: "/api/v1/desks/{desk}/bookings", Tag: "desk", Auth: "clerk, admin",
		Summary: "Today's next booked visits for the desk's services", Params: []Param{deskParam},
		Response: []StaffBooking{}, Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}},
	Operation{Method: "GET", Path: "/api/v1/admin/bookings", Tag: "booking", Auth: "admin",
		Summary:  "A day's slots and bookings, and the bookings whose slot is no longer offered",
		Params:   []Param{QueryParam("day", "", "the day, YYYY-MM-DD; today when left out")},
		Response: BookingsDay{}, Errors: append([]int{http.StatusBadRequest, http.StatusServiceUnavailable}, adminOnly...)},
	Operation{Method: "POST", Path: "/api/v1/admin/bookings/{code}/cancel", Tag: "booking", Auth: "admin",
		Summary: "The office cancels a booking (the visitor is told when a contact was left)", Params: []Param{bookingCode},
		Request: CancelBookingRequest{}, Response: StaffBooking{}, Errors: append([]int{http.StatusServiceUnavailable}, adminErrors...)},
	Operation{Method: "POST", Path: "/api/v1/admin/bookings/{code}/move", Tag: "booking", Auth: "admin",
		Summary: "The office moves a booking", Params: []Param{bookingCode},
		Request: MoveBookingRequest{}, Response: StaffBooking{}, Errors: append([]int{http.StatusServiceUnavailable}, adminErrors...)},
	Operation{Method: "POST", Path: "/api/v1/admin/slots", Tag: "booking", Auth: "admin", Summary: "Close a slot to bookings, or open it again",
		Request: SlotCloseRequest{}, Response: StaffSlot{}, Errors: append([]int{http.StatusServiceUnavailable}, adminErrors...)},
)

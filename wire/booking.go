package wire

import "time"

// The booking API (server/booking.go; docs/booking.md).

// BookingDay is a day a service may be booked on, with whether any slot
// of it still has room (GET /api/v1/booking/days).
type BookingDay struct {
	Day  string `json:"day"` // YYYY-MM-DD, the office's
	Open bool   `json:"open"`
}

// BookingSlot is a time a visitor may book (GET /api/v1/booking/slots).
type BookingSlot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// BookRequest is the body of POST /api/v1/bookings.
type BookRequest struct {
	Service string    `json:"service"`
	Start   time.Time `json:"start"`
	Lang    string    `json:"lang,omitempty"`
	// Contact is an optional e-mail address or phone number, kept apart
	// from the journal and deleted the day after the visit.
	Contact string `json:"contact,omitempty"`
}

// MoveBookingRequest is the body of POST /api/v1/bookings/{code}/move.
type MoveBookingRequest struct {
	Start time.Time `json:"start"`
	Lang  string    `json:"lang,omitempty"`
}

// CancelBookingRequest is the body of the office's cancel
// (POST /api/v1/admin/bookings/{code}/cancel); the visitor's needs none.
type CancelBookingRequest struct {
	Reason string `json:"reason,omitempty"`
	Lang   string `json:"lang,omitempty"`
}

// Booking is a booking as its visitor sees it.
type Booking struct {
	Code        string    `json:"code"`    // as typed: 8 characters
	Display     string    `json:"display"` // as shown: ABCD-EFGH
	Service     string    `json:"service"`
	ServiceName string    `json:"service_name"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Status      string    `json:"status"` // booked, checked_in, cancelled, missed
	Lang        string    `json:"lang"`
	// CheckInFrom and CheckInUntil are the check-in window at the kiosk.
	CheckInFrom  time.Time `json:"check_in_from"`
	CheckInUntil time.Time `json:"check_in_until"`
	Number       string    `json:"number,omitempty"` // the ticket its check-in issued
	URL          string    `json:"url"`              // the page to see, move or cancel it
	ICSURL       string    `json:"ics_url"`
	QRURL        string    `json:"qr_url"`
}

// CheckInRequest is the body of POST /api/v1/bookings/{code}/check-in.
type CheckInRequest struct {
	Lang  string `json:"lang,omitempty"`
	Kiosk string `json:"kiosk,omitempty"`
}

// SlotCloseRequest is the body of POST /api/v1/admin/slots: close a slot
// to bookings (or open it again).
type SlotCloseRequest struct {
	Service string    `json:"service"`
	Start   time.Time `json:"start"`
	Closed  bool      `json:"closed"`
}

// StaffBooking is a booking as staff see it (the admin and desk pages).
type StaffBooking struct {
	Code    string    `json:"code"`
	Service string    `json:"service"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Status  string    `json:"status"`
	Number  string    `json:"number,omitempty"`
	Contact bool      `json:"has_contact,omitempty"`
}

// StaffSlot is a slot as the manager sees it.
type StaffSlot struct {
	Service string    `json:"service"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Places  int       `json:"places"`
	Taken   int       `json:"taken"`
	Closed  bool      `json:"closed"`
}

// BookingsDay is GET /api/v1/admin/bookings?day=: the day's slots and
// bookings per service, and the bookings still ahead whose slot is no
// longer offered (a holiday or closure added after they were made).
type BookingsDay struct {
	Day      string         `json:"day"`
	Slots    []StaffSlot    `json:"slots"`
	Bookings []StaffBooking `json:"bookings"`
	Stranded []StaffBooking `json:"stranded"`
}

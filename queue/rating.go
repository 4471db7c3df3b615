package queue

import (
	"context"
	"strings"
	"unicode/utf8"
)

// TicketRated is the event of a visitor's answer to the one question asked
// after service (issue 16 item 3). It goes through the engine like every
// other change, so it is ordered, audited and durable, and the daily
// figures are built from the journal as the rest are. Its comment is free
// text: it lives in the journal only and is purged with it.
const TicketRated EventType = "ticket.rated"

// Rating is a visitor's answer after service: a face on a five-face scale
// and an optional comment. Nothing in it names the visitor.
type Rating struct {
	Face    int    `json:"face"` // 1 (very unhappy) … 5 (very happy)
	Comment string `json:"comment,omitempty"`
	// Via says where it was given: RatedOnPhone (the ticket's status
	// page) or RatedAtDesk (the desk-side tablet).
	Via string `json:"via"`
}

// Where a rating was given.
const (
	RatedOnPhone = "phone"
	RatedAtDesk  = "desk"
)

// The scale and the comment's bound.
const (
	RatingFaces      = 5
	MaxRatingComment = 500 // characters
	// GoodFace is the lowest face that counts as a good answer.
	GoodFace = 4
)

// checkRating refuses a face off the scale or a comment too long, in the
// visitor's words; it trims the comment.
func checkRating(r *Rating) error {
	if r.Face < 1 || r.Face > RatingFaces {
		return E(EINVALID, "err.rating.face", "max", RatingFaces)
	}
	r.Comment = strings.TrimSpace(r.Comment)
	if n := utf8.RuneCountInString(r.Comment); n > MaxRatingComment {
		return E(EINVALID, "err.rating.comment_long", "max", MaxRatingComment, "n", n)
	}
	if r.Via != RatedAtDesk {
		r.Via = RatedOnPhone
	}
	return nil
}

// Rate records the answer to the question after service for the ticket
// whose token is id: only for a ticket of today that was served (done),
// and only once.
func (e *Engine) Rate(ctx context.Context, id string, r Rating, a Actor) (Ticket, error) {
	if err := checkRating(&r); err != nil {
		return Ticket{}, err
	}
	return e.rate(ctx, a, r, func() (*Ticket, error) {
		t, ok := e.st.tickets[id]
		if !ok {
			return nil, E(ENOTFOUND, "err.ticket.not_today")
		}
		return t, nil
	})
}

// RateAtDesk records the answer given on desk n's tablet for ticket number,
// which must be the one that desk last finished.
func (e *Engine) RateAtDesk(ctx context.Context, n int, number string, r Rating, a Actor) (Ticket, error) {
	r.Via = RatedAtDesk
	if err := checkRating(&r); err != nil {
		return Ticket{}, err
	}
	return e.rate(ctx, a, r, func() (*Ticket, error) {
		t, ok := e.st.byNumber[strings.ToUpper(strings.TrimSpace(number))]
		if !ok || t.Desk != n {
			return nil, E(ENOTFOUND, "err.rating.not_at_desk", "number", Clip(number), "desk", n)
		}
		return t, nil
	})
}

func (e *Engine) rate(ctx context.Context, a Actor, r Rating, find func() (*Ticket, error)) (Ticket, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		t, err := find()
		if err != nil {
			return nil, err
		}
		if t.Rated {
			return nil, E(ECONFLICT, "err.rating.twice", "number", t.Number)
		}
		if t.Status != Done {
			return nil, E(ECONFLICT, "err.rating.not_served", "number", t.Number)
		}
		nt := *t
		nt.Rated = true
		tx.emit(Event{Type: TicketRated, Actor: a.User, Ticket: &nt, Rating: &r})
		return nt, nil
	})
	if err != nil {
		return Ticket{}, err
	}
	return res.(Ticket), nil
}

// TicketByNumber returns today's ticket with that number (the complaints
// form checks a number a visitor names with it).
func (e *Engine) TicketByNumber(ctx context.Context, number string) (Ticket, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		t, ok := e.st.byNumber[strings.ToUpper(strings.TrimSpace(number))]
		if !ok {
			return nil, E(ENOTFOUND, "err.ticket.unknown", "number", Clip(number))
		}
		return *t, nil
	})
	if err != nil {
		return Ticket{}, err
	}
	return res.(Ticket), nil
}

package client

import (
	"context"
	"net/http"
	"net/url"

	"langelis/wire"
)

// ReportPrintFailed tells the server that the kiosk station could not
// print a ticket, so the kiosk's screen shows the ticket's QR code instead.
// reason is the printer's complaint, for the server's log.
func (c *Client) ReportPrintFailed(ctx context.Context, kiosk, ticketID, reason string) error {
	_, err := c.do(ctx, http.MethodPost, "/api/v1/kiosks/"+url.PathEscape(kiosk)+"/print-failed",
		wire.PrintFailedRequest{Ticket: ticketID, Reason: reason}, nil)
	return err
}

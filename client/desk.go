package client

import (
	"context"
	"net/http"
	"strconv"

	"langelis/queue"
)

// DeskView returns desk n as its clerk's screen shows it: the held ticket
// and its wait, the line for its services, the numbers it would call next,
// and its served count and mean service time today. It needs a clerk or
// admin session.
func (c *Client) DeskView(ctx context.Context, n int) (queue.DeskView, error) {
	var v queue.DeskView
	_, err := c.do(ctx, http.MethodGet, "/api/v1/desks/"+strconv.Itoa(n), nil, &v)
	return v, err
}

package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"langelis/announce"
)

// Announcement returns what the hall hears for ticket number at desk: the
// sentences and, when the server can speak, their audio addresses (fetch
// them with Audio).
func (c *Client) Announcement(ctx context.Context, number string, desk int) (announce.Announcement, error) {
	var a announce.Announcement
	q := url.Values{"number": {number}, "desk": {strconv.Itoa(desk)}}
	_, err := c.do(ctx, http.MethodGet, "/api/v1/announce?"+q.Encode(), nil, &a)
	return a, err
}

// Audio returns a sound from the server by its path, such as an
// announcement's Audio or "/static/sounds/chime.wav".
func (c *Client) Audio(ctx context.Context, path string) ([]byte, error) {
	return c.getBytes(ctx, path)
}

// getBytes GETs path and returns its body.
func (c *Client) getBytes(ctx context.Context, path string) ([]byte, error) {
	resp, err := c.send(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, readAPIError(resp)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("client: GET %s: %w", path, err)
	}
	return b, nil
}

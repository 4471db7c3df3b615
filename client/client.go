// Package client is the Go client of a Langelis server that the station
// programs share (kiosk printer, hall display, keyboard desk): the REST
// calls of the public contract, a websocket subscription that connects,
// resyncs by sequence number and reconnects on its own, and a Mirror that
// keeps a local copy of the queue current from the messages. The bodies,
// messages, codes and timings are package wire's; the Mirror folds events
// with the engine's own queue.State.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"langelis/queue"
	"langelis/wire"
)

// maxBody bounds a JSON answer or a ticket PDF the client reads.
const maxBody = 16 << 20

// Client talks to one Langelis server. It is safe for concurrent use.
type Client struct {
	base string // "http://host:port", without a trailing slash
	hc   *http.Client
	log  *slog.Logger

	mu    sync.RWMutex
	token string
	lang  string // Accept-Language: the language the server writes its messages in
}

// SetLanguage makes the server write its messages (refusals, errors) in
// lang: the language of the program's own words. Without it the server
// answers in the office's first language.
func (c *Client) SetLanguage(lang string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lang = lang
}

// Option configures a Client.
type Option func(*Client)

// WithToken makes the client send a bearer token it already has (from an
// earlier Login, or a kiosk's configured token).
func WithToken(token string) Option {
	return func(c *Client) { c.token = token }
}

// WithHTTPClient makes the client use hc for REST calls. The websocket
// dialer borrows its transport's TLS and proxy settings when hc.Transport
// is an *http.Transport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// WithLogger makes the client log through l instead of slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// New returns a client of the server at baseURL, such as
// "http://10.0.0.5:8080". An unusable URL is reported by the first call.
func New(baseURL string, opts ...Option) *Client {
	c := &Client{
		base: strings.TrimRight(strings.TrimSpace(baseURL), "/"),
		hc:   &http.Client{Timeout: 30 * time.Second},
		log:  slog.Default(),
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Token returns the bearer token the client sends, "" when none.
func (c *Client) Token() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.token
}

// SetToken replaces the bearer token; "" sends none.
func (c *Client) SetToken(token string) {
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
}

// APIError is an error answer of the server: its HTTP status and the
// contract's {"error": {"code", "message"}} (wire.ErrorBody). Code is one
// of the queue.E* codes or wire.CodeProtocol; Message is written for a
// person and is what Error returns.
type APIError struct {
	Status  int
	Code    string
	Message string
}

// Error returns the message, ready to show to the person who asked.
func (e *APIError) Error() string { return e.Message }

// ErrorCode returns the code of an *APIError in err's chain, or "" when
// there is none (a network failure, say).
func ErrorCode(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// Login signs in and keeps the session's token for the calls that follow,
// websocket subscriptions included.
func (c *Client) Login(ctx context.Context, user, pass string) (wire.Session, error) {
	var s wire.Session
	body := wire.LoginRequest{Username: user, Password: pass}
	if _, err := c.do(ctx, http.MethodPost, "/api/v1/session", body, &s); err != nil {
		return wire.Session{}, err
	}
	if s.Token == "" {
		return wire.Session{}, errors.New("client: sign-in answered without a token")
	}
	c.SetToken(s.Token)
	return s, nil
}

// Logout ends the session on the server and forgets the token. The token
// is forgotten even when the server cannot be reached.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/session", nil, nil)
	c.SetToken("")
	return err
}

// Office returns the office definition: services, desks and hours.
func (c *Client) Office(ctx context.Context) (queue.Office, error) {
	var o wire.Office
	if _, err := c.do(ctx, http.MethodGet, "/api/v1/office", nil, &o); err != nil {
		return queue.Office{}, err
	}
	if o.Office == nil {
		return queue.Office{}, errors.New("client: the office answer has no office")
	}
	return *o.Office, nil
}

// Queue returns the current snapshot. Without a staff token the server
// gives the public view: tickets then carry no ID and no category.
func (c *Client) Queue(ctx context.Context) (queue.Snapshot, error) {
	var s queue.Snapshot
	_, err := c.do(ctx, http.MethodGet, "/api/v1/queue", nil, &s)
	return s, err
}

// Issue takes a ticket.
func (c *Client) Issue(ctx context.Context, r wire.IssueRequest) (wire.Ticket, error) {
	var t wire.Ticket
	_, err := c.do(ctx, http.MethodPost, "/api/v1/tickets", r, &t)
	return t, err
}

// Ticket returns the ticket with the given ID (the token of its status page).
func (c *Client) Ticket(ctx context.Context, id string) (wire.Ticket, error) {
	var t wire.Ticket
	_, err := c.do(ctx, http.MethodGet, "/api/v1/tickets/"+url.PathEscape(id), nil, &t)
	return t, err
}

// TicketPDF returns the printable ticket with the given ID.
func (c *Client) TicketPDF(ctx context.Context, id string) ([]byte, error) {
	return c.getBytes(ctx, "/api/v1/tickets/"+url.PathEscape(id)+"/pdf")
}

// Desk runs a desk action as the signed-in clerk: next, recall, start,
// finish, no-show, return, transfer (Service or Desk), refuse (Reason),
// pause (Reason), resume, open, stay (Until or Minutes), close (Ticket:
// "finish" or "return", optional), call (Number) or category (Priority,
// and Number for another ticket than the desk's). A nil body sends none.
// It returns nil, nil when the server answers 204 (next with nothing
// waiting).
func (c *Client) Desk(ctx context.Context, desk int, action string, body *wire.DeskRequest) (*queue.DeskResult, error) {
	path := "/api/v1/desks/" + strconv.Itoa(desk) + "/" + url.PathEscape(action)
	var r queue.DeskResult
	var b any
	if body != nil {
		b = body
	}
	status, err := c.do(ctx, http.MethodPost, path, b, &r)
	if err != nil || status == http.StatusNoContent {
		return nil, err
	}
	return &r, nil
}

// do sends a request with an optional JSON body and decodes a 2xx JSON
// answer into out (when out is not nil and there is a body). A non-2xx
// answer becomes an *APIError.
func (c *Client) do(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, fmt.Errorf("client: %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	resp, err := c.send(ctx, method, path, rd)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, readAPIError(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
		return resp.StatusCode, nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(out); err != nil {
		return resp.StatusCode, fmt.Errorf("client: %s %s: decode answer: %w", method, path, err)
	}
	return resp.StatusCode, nil
}

func (c *Client) send(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := c.Token(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	c.mu.RLock()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	c.mu.RUnlock()
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	return resp, nil
}

// readAPIError turns an error answer into an *APIError. An answer that is
// not the contract's JSON (a proxy's page, say) still gives a code and a
// message a person can read.
func readAPIError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return parseAPIError(resp.StatusCode, b)
}

func parseAPIError(status int, b []byte) *APIError {
	var env wire.ErrorBody
	e := &APIError{Status: status}
	if json.Unmarshal(b, &env) == nil {
		e.Code, e.Message = env.Error.Code, env.Error.Message
	}
	if e.Code == "" {
		e.Code = wire.CodeFor(status)
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("The server answered %d %s.", status, http.StatusText(status))
	}
	return e
}

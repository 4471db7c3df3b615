package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"time"

	"langelis/accounts"
	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// peopleBackend is where `langelis user` changes accounts: the running
// server (over the local admin channel `langelis backup` uses) or, with
// no server on the folder, the store file itself.
type peopleBackend interface {
	List() ([]wire.Account, error)
	Add(wire.AddUserRequest) (wire.AccountAnswer, error)
	// Action is disable, enable or reset-password (pw empty: one-time).
	Action(username, action, pw string) (wire.AccountAnswer, error)
	Close() error
}

// runningServer returns the note of the server running on dir, or false
// when none answers there (none started, or it died without removing it).
func runningServer(ctx context.Context, dir string) (ServerInfo, bool) {
	var info ServerInfo
	data, err := os.ReadFile(filepath.Join(dir, infoFile))
	if err != nil || json.Unmarshal(data, &info) != nil || info.URL == "" {
		return info, false
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, info.URL+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return info, false
	}
	resp.Body.Close()
	return info, true
}

func peopleBackendFor(ctx context.Context, dir string) (peopleBackend, string, error) {
	if info, ok := runningServer(ctx, dir); ok {
		return &remotePeople{ctx: ctx, info: info}, "on the running server", nil
	}
	// The first admin may be added before the office ever ran: the file
	// is made then (openStore refuses a folder whose store went missing).
	s, err := openStore(dir)
	if err != nil {
		return nil, "", err
	}
	return &localPeople{s: s, a: &accounts.Service{Store: s, Clock: queue.SystemClock{}}}, "in the file (no server running)", nil
}

// remotePeople asks the running server with the token it left in the
// data folder.
type remotePeople struct {
	ctx  context.Context
	info ServerInfo
}

func (r *remotePeople) do(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	ctx, cancel := context.WithTimeout(r.ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, r.info.URL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.info.Token)
	req.Header.Set("Accept-Language", cliLanguage())
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("the running server: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		var eb wire.ErrorBody
		if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&eb) == nil && eb.Error.Message != "" {
			return errors.New(eb.Error.Message) // already in the operator's language
		}
		return fmt.Errorf("the server answered %s", resp.Status)
	}
	switch out := out.(type) {
	case nil:
		return nil
	case *[]byte: // a file the server sends as it is (the office file)
		*out, err = io.ReadAll(io.LimitReader(resp.Body, 16<<20))
		return err
	default:
		return json.NewDecoder(resp.Body).Decode(out)
	}
}

func (r *remotePeople) List() ([]wire.Account, error) {
	var out []wire.Account
	return out, r.do(http.MethodGet, "/api/v1/admin/users", nil, &out)
}

func (r *remotePeople) Add(req wire.AddUserRequest) (wire.AccountAnswer, error) {
	var out wire.AccountAnswer
	return out, r.do(http.MethodPost, "/api/v1/admin/users", req, &out)
}

func (r *remotePeople) Action(username, action, pw string) (wire.AccountAnswer, error) {
	var out wire.AccountAnswer
	var body any = struct{}{}
	if action == "reset-password" {
		body = wire.ResetPasswordRequest{Password: pw}
	}
	return out, r.do(http.MethodPost, "/api/v1/admin/users/"+url.PathEscape(username)+"/"+action, body, &out)
}

func (r *remotePeople) Close() error { return nil }

// localPeople changes the file directly, with the same rules
// (package accounts) and change log as the server.
type localPeople struct {
	s *store.Store
	a *accounts.Service
}

func (l *localPeople) List() ([]wire.Account, error) {
	users, err := l.s.Users()
	if err != nil {
		return nil, err
	}
	sort.Slice(users, func(i, j int) bool { return users[i].Username < users[j].Username })
	out := make([]wire.Account, 0, len(users))
	for _, u := range users {
		// With the server stopped nobody works a desk; a session still
		// valid is shown with its address.
		out = append(out, wire.Account{Username: u.Username, Name: u.Name, Role: u.Role, Disabled: u.Disabled,
			MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt})
	}
	return out, nil
}

func (l *localPeople) Add(req wire.AddUserRequest) (wire.AccountAnswer, error) {
	u, oneTime, err := l.a.Add(accounts.NewUser{Username: req.Username, Name: req.Name, Role: req.Role, Password: req.Password}, accounts.ActorCLI)
	return wire.AccountAnswer{Account: wire.Account{Username: u.Username, Name: u.Name, Role: u.Role,
		MustChangePassword: u.MustChangePassword}, OneTimePassword: oneTime}, err
}

func (l *localPeople) Action(username, action, pw string) (wire.AccountAnswer, error) {
	var (
		u       queue.User
		oneTime string
		err     error
	)
	switch action {
	case "disable", "enable":
		u, err = l.a.SetDisabled(username, action == "disable", accounts.ActorCLI)
	case "reset-password":
		oneTime, err = l.a.ResetPassword(username, pw, accounts.ActorCLI)
		u.Username = username
	default:
		err = fmt.Errorf("unknown action %q", action)
	}
	return wire.AccountAnswer{Account: wire.Account{Username: u.Username, Name: u.Name, Role: u.Role, Disabled: u.Disabled}, OneTimePassword: oneTime}, err
}

func (l *localPeople) Close() error { return l.s.Close() }

package server

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"langelis/accounts"
	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// The people endpoints: staff accounts and their sessions, for /admin/people
// and for the local `langelis user` command while the server runs.

// adminActor lets in an admin, or the local command with the token the
// server wrote into its data folder (who may read that folder may already
// copy the whole store). It answers the name the change log records.
func (s *Server) adminActor(c echo.Context) (string, error) {
	tok := tokenFrom(c)
	if s.cfg.LocalToken != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.LocalToken)) == 1 {
		return accounts.ActorCLI, nil
	}
	u, err := s.requireRole(c, queue.RoleAdmin)
	if err != nil {
		return "", err
	}
	return u.Username, nil
}

// accountsOf lists every account with where it is signed in.
func (s *Server) accountsOf(c echo.Context) ([]wire.Account, error) {
	users, err := s.store.Users()
	if err != nil {
		return nil, err
	}
	sessions, err := s.store.Sessions(s.real.Now())
	if err != nil {
		return nil, err
	}
	desks, err := s.engine.Desks(c.Request().Context())
	if err != nil {
		return nil, err
	}
	held := map[string][]int{}
	for _, d := range desks {
		if d.Status != queue.DeskClosed && d.Clerk != "" {
			held[d.Clerk] = append(held[d.Clerk], d.Number)
		}
	}
	bySession := map[string][]wire.SignedInPlace{}
	for _, ss := range sessions {
		bySession[ss.Username] = append(bySession[ss.Username], wire.SignedInPlace{ID: ss.ID, Addr: ss.Addr,
			CreatedAt: ss.CreatedAt, ExpiresAt: ss.ExpiresAt, Desks: held[ss.Username]})
	}
	out := make([]wire.Account, 0, len(users))
	for _, u := range users {
		places := bySession[u.Username]
		sort.Slice(places, func(i, j int) bool { return places[i].CreatedAt.Before(places[j].CreatedAt) })
		if places == nil {
			places = []wire.SignedInPlace{}
		}
		out = append(out, accountOf(u, places))
	}
	return out, nil
}

func accountOf(u queue.User, places []wire.SignedInPlace) wire.Account {
	return wire.Account{Username: u.Username, Name: u.Name, Role: u.Role, Disabled: u.Disabled,
		MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt, Sessions: places}
}

// handleUsers serves GET /api/v1/admin/users.
func (s *Server) handleUsers(c echo.Context) error {
	if _, err := s.adminActor(c); err != nil {
		return err
	}
	list, err := s.accountsOf(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// handleAddUser serves POST /api/v1/admin/users.
func (s *Server) handleAddUser(c echo.Context) error {
	actor, err := s.adminActor(c)
	if err != nil {
		return err
	}
	var req wire.AddUserRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u, oneTime, err := s.accounts.Add(accounts.NewUser{Username: req.Username, Name: req.Name, Role: req.Role,
		Password: req.Password}, actor)
	if err != nil {
		return err
	}
	s.peopleChanged()
	return c.JSON(http.StatusCreated, wire.AccountAnswer{Account: accountOf(u, []wire.SignedInPlace{}), OneTimePassword: oneTime})
}

// handleUserAction serves POST /api/v1/admin/users/:username/:action:
// disable, enable, reset-password.
func (s *Server) handleUserAction(c echo.Context) error {
	actor, err := s.adminActor(c)
	if err != nil {
		return err
	}
	username := c.Param("username")
	var (
		u       queue.User
		oneTime string
	)
	switch c.Param("action") {
	case "disable":
		if u, err = s.accounts.SetDisabled(username, true, actor); err != nil {
			return err
		}
		// Their desks close now, not at the next tick: a called ticket
		// goes back to the queue with its place kept.
		s.CloseOrphanDesks(c.Request().Context())
	case "enable":
		if u, err = s.accounts.SetDisabled(username, false, actor); err != nil {
			return err
		}
	case "reset-password":
		var req wire.ResetPasswordRequest
		if err := decode(c, &req); err != nil {
			return err
		}
		if oneTime, err = s.accounts.ResetPassword(username, req.Password, actor); err != nil {
			return err
		}
		s.CloseOrphanDesks(c.Request().Context())
		if u, err = s.store.User(username); err != nil {
			return err
		}
	default:
		return queue.E(queue.ENOTFOUND, "err.user.action", "action", queue.Clip(c.Param("action")))
	}
	s.peopleChanged()
	return c.JSON(http.StatusOK, wire.AccountAnswer{Account: accountOf(u, []wire.SignedInPlace{}), OneTimePassword: oneTime})
}

// handleEndSession serves DELETE /api/v1/admin/sessions/:id: an admin signs
// someone out (a desk left signed in, a lost phone). Their desk closes
// when no other session of theirs holds on.
func (s *Server) handleEndSession(c echo.Context) error {
	actor, err := s.adminActor(c)
	if err != nil {
		return err
	}
	ss, err := s.store.DeleteSessionByID(c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		return queue.E(queue.ENOTFOUND, "err.session.unknown")
	}
	if err != nil {
		return err
	}
	if err := s.accounts.Record(actor, "session.ended", ss.Username, nil, map[string]string{"addr": ss.Addr}); err != nil {
		return err
	}
	s.CloseOrphanDesks(c.Request().Context())
	s.peopleChanged()
	return c.NoContent(http.StatusNoContent)
}

// handleChangePassword serves POST /api/v1/session/password: the signed-in
// person changes their own password; the one way out of a one-time
// password.
func (s *Server) handleChangePassword(c echo.Context) error {
	u, _ := s.sessionUser(c)
	if u == nil {
		return queue.E(queue.EUNAUTHORIZED, "err.signin.first")
	}
	var req wire.ChangePasswordRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if err := s.accounts.ChangeOwn(u.Username, req.Current, req.New); err != nil {
		return err
	}
	s.peopleChanged()
	return c.NoContent(http.StatusNoContent)
}

// peopleChanged tells the admin pages to read the people again.
func (s *Server) peopleChanged() {}

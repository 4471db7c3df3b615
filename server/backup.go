package server

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
)

// handleBackup serves GET /api/v1/admin/backup: a consistent copy of the
// bbolt file, taken while the office keeps working. An admin may ask, and
// so may the local `langelis backup` command with the token the server
// wrote into its data folder.
func (s *Server) handleBackup(c echo.Context) error {
	tok := tokenFrom(c)
	local := s.cfg.LocalToken != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.LocalToken)) == 1
	if !local {
		if _, err := s.requireRole(c, queue.RoleAdmin); err != nil {
			return err
		}
	}
	w := c.Response()
	// A large file to a slow disk may take longer than an answer may
	// (Limits.WriteTimeout); the caller is an admin or the local command.
	_ = http.NewResponseController(w.Writer).SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="langelis-backup.db"`)
	w.WriteHeader(http.StatusOK)
	n, err := s.store.Backup(w)
	if err != nil {
		s.log.Error("server: backup failed midway", "bytes", strconv.FormatInt(n, 10), "err", err)
	}
	return nil
}

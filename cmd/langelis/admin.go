package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"langelis/password"
	"langelis/queue"
	"langelis/store"
)

// cmdBackup takes a consistent copy of the office's bbolt file. While a
// server runs on the folder it asks that server (the file is locked); when
// none runs it opens the file itself.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "data", "the server's data folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: give the file to write, e.g. langelis backup --data data backup-2026-11-22.db")
	}
	dest := fs.Arg(0)
	n, how, err := backup(ctx, *dir, dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "Wrote %s (%d bytes, %s).\n", dest, n, how)
	return nil
}

func backup(ctx context.Context, dir, dest string) (int64, string, error) {
	if data, err := os.ReadFile(filepath.Join(dir, infoFile)); err == nil {
		var info ServerInfo
		if json.Unmarshal(data, &info) == nil && info.URL != "" {
			n, err := backupFromServer(ctx, info, dest)
			if err == nil {
				return n, "from the running server", nil
			}
			if !isConnRefused(err) {
				return 0, "", err
			}
			// The server died without removing its note; open the file.
		}
	}
	// A backup never creates the store it copies.
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		return 0, "", fmt.Errorf("no store to copy: %w", err)
	}
	s, err := openStore(dir)
	if err != nil {
		return 0, "", err
	}
	defer s.Close()
	n, err := s.BackupFile(dest)
	return n, "from the file directly", err
}

func isConnRefused(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection refused")
}

func backupFromServer(ctx context.Context, info ServerInfo, dest string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, info.URL+"/api/v1/admin/backup", nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+info.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return 0, fmt.Errorf("the server answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return store.WriteFileAtomic(dest, func(w io.Writer) (int64, error) { return io.Copy(w, resp.Body) })
}

// cmdUser manages accounts. It opens the store directly, so it runs while
// the server is stopped (bbolt allows one process at a time).
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	const help = "user: say add, passwd, list or disable, e.g.\n  langelis user add --data data --role clerk --name \"Jonas Jonaitis\" jonas"
	if len(args) == 0 {
		return errors.New(help)
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "data", "the server's data folder")
	role := fs.String("role", "clerk", "clerk, admin or kiosk (add)")
	name := fs.String("name", "", "the person's name as colleagues see it (add)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	enable := fs.Bool("enable", false, "disable: enable the account again instead")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := openStore(*dir)
	var damaged *store.DamagedError
	var missing *store.MissingError
	switch {
	case errors.As(err, &damaged), errors.As(err, &missing):
		return err
	case err != nil:
		return fmt.Errorf("user: %w (stop the server first: accounts are changed with it stopped)", err)
	}
	defer s.Close()
	readPW := func() (string, error) {
		if !*pwStdin {
			fmt.Fprint(stderr, "Password (at least 8 characters): ")
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", errors.New("user: no password given")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	username := fs.Arg(0)
	switch sub {
	case "list":
		users, err := s.Users()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tNAME\tSTATE")
		for _, u := range users {
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Role, u.Name, state)
		}
		return tw.Flush()
	case "add":
		if !validUsername(username) {
			return errors.New("user add: give a username of letters, digits, dot, dash or underscore (3-32)")
		}
		if _, err := s.User(username); err == nil {
			return fmt.Errorf("user add: %s already exists (use passwd to change the password)", username)
		}
		if !queue.ValidRole(queue.Role(*role)) {
			return fmt.Errorf("user add: role %q is not clerk, admin or kiosk", *role)
		}
		pw, err := readPW()
		if err != nil {
			return err
		}
		h, err := password.Hash(pw)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		if *name == "" {
			*name = username
		}
		if err := s.PutUser(queue.User{Username: username, Name: *name, Role: queue.Role(*role), PasswordHash: h, CreatedAt: time.Now()}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Added %s (%s).\n", username, *role)
		return nil
	case "passwd":
		u, err := s.User(username)
		if err != nil {
			return fmt.Errorf("user passwd: no user %q", username)
		}
		pw, err := readPW()
		if err != nil {
			return err
		}
		if u.PasswordHash, err = password.Hash(pw); err != nil {
			return fmt.Errorf("user passwd: %w", err)
		}
		if err := s.PutUser(u); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Changed the password of %s.\n", username)
		return nil
	case "disable":
		u, err := s.User(username)
		if err != nil {
			return fmt.Errorf("user disable: no user %q", username)
		}
		u.Disabled = !*enable
		if err := s.PutUser(u); err != nil {
			return err
		}
		if u.Disabled {
			fmt.Fprintf(stdout, "Disabled %s; their sign-ins no longer work.\n", username)
		} else {
			fmt.Fprintf(stdout, "Enabled %s.\n", username)
		}
		return nil
	}
	return errors.New(help)
}

func validUsername(s string) bool {
	if len(s) < 3 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

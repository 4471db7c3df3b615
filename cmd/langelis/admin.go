package main

import (
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
	"time"

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

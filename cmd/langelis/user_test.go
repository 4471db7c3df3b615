package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"langelis/office"
	"langelis/queue"
	"langelis/wire"
)

func TestParseAnywhere(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	role := fs.String("role", "clerk", "")
	name := fs.String("name", "", "")
	stdin := fs.Bool("password-stdin", false, "")
	pos, err := parseAnywhere(fs, []string{"--password-stdin", "petras", "--role", "admin", "--name", "Petras P", "--", "-odd"})
	if err != nil {
		t.Fatal(err)
	}
	if *role != "admin" || *name != "Petras P" || !*stdin || strings.Join(pos, "|") != "petras|-odd" {
		t.Fatalf("role %q name %q stdin %v positional %q", *role, *name, *stdin, pos)
	}
}

// userCLI runs `langelis user ARGS...` with stdin, answering its output.
func userCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"user"}, args...), strings.NewReader(stdin), &out, io.Discard)
	return out.String(), err
}

// signInHTTP signs in over the API and answers the session.
func signInHTTP(t *testing.T, base, user, pw string) (wire.Session, int) {
	t.Helper()
	body, _ := json.Marshal(wire.LoginRequest{Username: user, Password: pw})
	resp, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ss wire.Session
	_ = json.NewDecoder(resp.Body).Decode(&ss)
	return ss, resp.StatusCode
}

func apiCall(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// The issue's own line, while the server runs: flags after the username
// are read, the password comes from stdin, and the account works at once.
func TestUserAddWhileServing(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, dir)
	out, err := userCLI(t, "petras-secret-1\n", "add", "--data", dir, "--password-stdin", "petras", "--role", "admin", "--name", "Petras P")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "on the running server") {
		t.Fatalf("add said %q", out)
	}
	ss, code := signInHTTP(t, m.URL(), "petras", "petras-secret-1")
	if code != 200 || ss.User.Role != queue.RoleAdmin || ss.User.Name != "Petras P" {
		t.Fatalf("petras signs in: %d %+v", code, ss.User)
	}
	// The admin it made may use the admin API: the role was read.
	if code, body := apiCall(t, "GET", m.URL()+"/api/v1/admin/users", ss.Token, ""); code != 200 || !strings.Contains(body, `"petras"`) {
		t.Fatalf("petras lists users: %d %s", code, body)
	}
	out, err = userCLI(t, "", "list", "--data", dir)
	if err != nil || !regexp.MustCompile(`petras\s+admin\s+Petras P\s+active\s+127\.0\.0\.1`).MatchString(out) {
		t.Fatalf("list while serving: %v\n%s", err, out)
	}
}

// A one-time password made by the command works only to choose a new one.
func TestUserOneTimePasswordWhileServing(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, dir)
	out, err := userCLI(t, "", "add", "ona", "--one-time", "--data", dir, "--name", "Ona O")
	if err != nil {
		t.Fatal(err)
	}
	pw := regexp.MustCompile(`One-time password for ona: (\S+)`).FindStringSubmatch(out)
	if pw == nil {
		t.Fatalf("no one-time password in %q", out)
	}
	ss, code := signInHTTP(t, m.URL(), "ona", pw[1])
	if code != 200 || !ss.MustChangePassword {
		t.Fatalf("sign-in with the one-time password: %d must change %v", code, ss.MustChangePassword)
	}
	if code, body := apiCall(t, "POST", m.URL()+"/api/v1/desks/1/open", ss.Token, "{}"); code != 403 || !strings.Contains(body, "vienkartiniu") {
		t.Fatalf("a desk opened on a one-time password: %d %s", code, body)
	}
	if code, _ := apiCall(t, "POST", m.URL()+"/api/v1/session/password", ss.Token, `{"current":"`+pw[1]+`","new":"`+pw[1]+`"}`); code != 400 {
		t.Fatalf("the same password again was accepted: %d", code)
	}
	if code, body := apiCall(t, "POST", m.URL()+"/api/v1/session/password", ss.Token, `{"current":"`+pw[1]+`","new":"onas-own-pw"}`); code != 204 {
		t.Fatalf("change password: %d %s", code, body)
	}
	if code, body := apiCall(t, "POST", m.URL()+"/api/v1/desks/1/open", ss.Token, "{}"); code != 200 {
		t.Fatalf("the desk after the change: %d %s", code, body)
	}
	if _, code := signInHTTP(t, m.URL(), "ona", pw[1]); code != 401 {
		t.Fatalf("the one-time password still signs in: %d", code)
	}
}

// Disabling a clerk on a running office closes their desk at once and
// puts the ticket they had called back in the queue.
func TestUserDisableWhileServingClosesDesk(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, dir)
	if _, err := userCLI(t, "clerk-pw-123\n", "add", "--data", dir, "--password-stdin", "rimas"); err != nil {
		t.Fatal(err)
	}
	ss, _ := signInHTTP(t, m.URL(), "rimas", "clerk-pw-123")
	resp, err := http.Post(m.URL()+"/api/v1/tickets", "application/json", strings.NewReader(`{"service":"A"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	apiCall(t, "POST", m.URL()+"/api/v1/desks/1/open", ss.Token, "{}")
	code, body := apiCall(t, "POST", m.URL()+"/api/v1/desks/1/next", ss.Token, "{}")
	var called queue.DeskResult
	if code != 200 || json.Unmarshal([]byte(body), &called) != nil || called.Ticket == nil {
		t.Fatalf("next: %d %s", code, body)
	}
	if _, err := userCLI(t, "", "disable", "rimas", "--data", dir); err != nil {
		t.Fatal(err)
	}
	desks, err := m.App.Engine.Desks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if desks[0].Status != queue.DeskClosed {
		t.Fatalf("desk 1 after disabling its clerk: %s", desks[0].Status)
	}
	tk, err := m.App.Engine.Ticket(context.Background(), called.Ticket.ID)
	if err != nil || tk.Status != queue.Waiting {
		t.Fatalf("the called ticket after its desk closed: %+v %v, want waiting", tk.Status, err)
	}
	if code, _ := apiCall(t, "GET", m.URL()+"/api/v1/session", ss.Token, ""); code != 401 {
		t.Fatalf("the disabled clerk's session still answers: %d", code)
	}
}

// A refusal is said in the operator's language, from the server and from
// the file alike.
func TestUserRefusalsInTheOperatorsLanguage(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "lt_LT.UTF-8")
	dir := t.TempDir()
	_, errFile := userCLI(t, "long-enough-pw\n", "add", "--data", dir, "--password-stdin", "ona", "--role", "boss")
	m := startMain(t, dir)
	_ = m
	_, errServer := userCLI(t, "long-enough-pw\n", "add", "--data", dir, "--password-stdin", "ona", "--role", "boss")
	for _, err := range []error{errFile, errServer} {
		if err == nil || !strings.Contains(err.Error(), "Vaidmuo „boss“") {
			t.Fatalf("a bad role: %v", err)
		}
	}
	_, err := userCLI(t, "short\n", "add", "--data", dir, "--password-stdin", "ona")
	if err == nil || !strings.Contains(err.Error(), "bent 8 simbolių") {
		t.Fatalf("a short password: %v", err)
	}
}

// config show and export read the running server while it runs and the
// store when it does not; the export parses back to the same office.
func TestConfigShowAndExport(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, dir)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"config", "show", "--data", dir}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "from the running server") || !strings.Contains(out.String(), m.Office.Name) {
		t.Fatalf("config show while serving:\n%s", out.String())
	}
	dest := filepath.Join(t.TempDir(), "office.yaml")
	out.Reset()
	if err := run(context.Background(), []string{"config", "export", dest, "--data", dir}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	back, err := office.Load(dest)
	if err != nil {
		t.Fatalf("the export does not load: %v", err)
	}
	if back.Name != m.Office.Name || len(back.Services) != len(m.Office.Services) || len(back.Desks) != len(m.Office.Desks) {
		t.Fatalf("the export read back: %+v", back)
	}
	m.Close()
	out.Reset()
	if err := run(context.Background(), []string{"config", "show", "--data", dir}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "from the file") || !strings.Contains(out.String(), m.Office.Name) {
		t.Fatalf("config show with the server stopped:\n%s", out.String())
	}
}

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"langelis/accounts"
	"langelis/i18n"
	"langelis/queue"
	"langelis/wire"
)

const userHelp = `user: say add, list, disable, enable, reset-password or passwd, e.g.
  langelis user add --data data --role clerk --name "Jonas Jonaitis" jonas
  langelis user add jonas --one-time          (prints a one-time password, changed at first sign-in)
  langelis user reset-password jonas          (prints a new one-time password)
  langelis user passwd jonas                  (asks for the new password without echo)
Flags go anywhere on the line. Passwords are read without echo from the
terminal, or from the first line of standard input with --password-stdin.
While the server runs on --data, the command asks it; otherwise it opens the file.`

// parseAnywhere parses fs's flags wherever they stand among the
// positional arguments (Go's flag package stops at the first positional:
// "user add petras --role admin" would leave the role unread). A "--"
// ends the flags.
func parseAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag consumed a "--" if it stood just before rest.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// cliLanguage is the operator's language from the locale (LC_ALL, LANG),
// for the keyed refusals; English when it is none of the office's.
func cliLanguage() string {
	for _, v := range []string{os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG")} {
		if len(v) >= 2 {
			if l := strings.ToLower(v[:2]); queue.ValidLanguage(l) {
				return l
			}
		}
	}
	return "en"
}

// sayErr turns a keyed refusal into a sentence in the operator's
// language.
func sayErr(err error) error {
	var qe *queue.Error
	if errors.As(err, &qe) {
		return errors.New(i18n.T(cliLanguage(), qe.Key, qe.Args...))
	}
	return err
}

// readPassword asks for a password. From a terminal it reads without
// echo (twice, to catch a typo); with --password-stdin, or from a pipe,
// it reads the first line of stdin.
func readPassword(stdin io.Reader, stderr io.Writer, fromStdin bool, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, prompt)
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		fmt.Fprint(stderr, "Again, to be sure: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		if string(first) != string(again) {
			return "", errors.New("the two passwords differ; nothing was changed")
		}
		return string(first), nil
	}
	if !fromStdin {
		return "", errors.New("standard input is not a terminal: give --password-stdin to read the password from it, or --one-time")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password given on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// cmdUser manages accounts: through the running server when one runs on
// the data folder (the store is locked by it), else on the file.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		return errors.New(userHelp)
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "data", "the server's data folder")
	role := fs.String("role", "clerk", "clerk, admin or kiosk (add)")
	name := fs.String("name", "", "the person's name as colleagues see it (add)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	oneTime := fs.Bool("one-time", false, "add: give a one-time password, to be changed at the first sign-in")
	enable := fs.Bool("enable", false, "disable: enable the account again instead (same as user enable)")
	pos, err := parseAnywhere(fs, args[1:])
	if err != nil {
		return err
	}
	username := ""
	switch {
	case sub == "list" && len(pos) == 0:
	case sub != "list" && len(pos) == 1:
		username = pos[0]
	case sub == "list":
		return fmt.Errorf("user list takes no username (got %q)", strings.Join(pos, " "))
	case len(pos) == 0:
		return fmt.Errorf("user %s: give the username, e.g. langelis user %s jonas", sub, sub)
	default:
		return fmt.Errorf("user %s: one username only (got %q); quote a name with spaces: --name \"Jonas Jonaitis\"", sub, strings.Join(pos, " "))
	}
	b, how, err := peopleBackendFor(ctx, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	var ans wire.AccountAnswer
	switch sub {
	case "list":
		list, err := b.List()
		if err != nil {
			return sayErr(err)
		}
		return printAccounts(stdout, list)
	case "add":
		req := wire.AddUserRequest{Username: username, Name: *name, Role: queue.Role(*role)}
		if !*oneTime {
			if req.Password, err = readPassword(stdin, stderr, *pwStdin, "Password for "+username+" (at least 8 characters): "); err != nil {
				return fmt.Errorf("user add: %w", err)
			}
		}
		if ans, err = b.Add(req); err != nil {
			return fmt.Errorf("user add: %w", sayErr(err))
		}
		fmt.Fprintf(stdout, "Added %s (%s, %q), %s.\n", ans.Account.Username, ans.Account.Role, ans.Account.Name, how)
	case "passwd", "reset-password":
		pw := ""
		if sub == "passwd" {
			if pw, err = readPassword(stdin, stderr, *pwStdin, "New password for "+username+" (at least 8 characters): "); err != nil {
				return fmt.Errorf("user passwd: %w", err)
			}
		}
		if ans, err = b.Action(username, "reset-password", pw); err != nil {
			return fmt.Errorf("user %s: %w", sub, sayErr(err))
		}
		if pw != "" {
			fmt.Fprintf(stdout, "Changed the password of %s, %s; their sessions ended.\n", username, how)
		}
	case "disable", "enable":
		action := sub
		if sub == "disable" && *enable {
			action = "enable"
		}
		if ans, err = b.Action(username, action, ""); err != nil {
			return fmt.Errorf("user %s: %w", sub, sayErr(err))
		}
		if action == "disable" {
			fmt.Fprintf(stdout, "Disabled %s, %s; their sign-ins no longer work and their desks closed.\n", username, how)
		} else {
			fmt.Fprintf(stdout, "Enabled %s, %s.\n", username, how)
		}
	default:
		return errors.New(userHelp)
	}
	if ans.OneTimePassword != "" {
		fmt.Fprintf(stdout, "One-time password for %s: %s\nIt is shown only now; %s must choose a new one at the first sign-in.\n",
			username, ans.OneTimePassword, username)
	}
	return nil
}

func printAccounts(w io.Writer, list []wire.Account) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tNAME\tSTATE\tSIGNED IN")
	for _, a := range list {
		state := "active"
		switch {
		case a.Disabled:
			state = "disabled"
		case a.MustChangePassword:
			state = "one-time password"
		}
		var where []string
		for _, p := range a.Sessions {
			w := p.Addr
			for _, d := range p.Desks {
				w += fmt.Sprintf(" desk %d", d)
			}
			where = append(where, strings.TrimSpace(w))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Username, a.Role, a.Name, state, strings.Join(where, ", "))
	}
	return tw.Flush()
}

// validUsername is the accounts' rule for a username, for the commands of
// the city's centre that name accounts too.
func validUsername(s string) bool { return accounts.ValidUsername(s) }

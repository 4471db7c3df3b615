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
	"time"

	"langelis/city"
	"langelis/citynats"
	"langelis/password"
	"langelis/queue"
)

// cmdCentralStaff manages the accounts of staff who work in several halls
// (docs/city.md): they live in the city's NATS key-value bucket, so this
// works while the centre runs, and every hall they name keeps them. A
// hall cut off applies a change when its link returns.
func cmdCentralStaff(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	const help = "central staff: say add, disable or list, e.g.\n  langelis central staff add --nats nats://city:4222 --halls antakalnis,zirmunai --name \"Jonas Jonaitis\" jonas"
	if len(args) == 0 {
		return errors.New(help)
	}
	fs := flag.NewFlagSet("central staff "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var conn citynats.ConnConfig
	fs.StringVar(&conn.URLs, "nats", "nats://127.0.0.1:4222", "the city's NATS")
	fs.StringVar(&conn.Creds, "nats-creds", "", "a NATS .creds file to sign in with")
	fs.StringVar(&conn.NKeySeed, "nats-nkey", "", "a file holding the NATS NKey seed")
	fs.StringVar(&conn.User, "nats-user", "", "a NATS user (its password in LANGELIS_NATS_PASSWORD)")
	fs.StringVar(&conn.TLSCA, "nats-tls-ca", "", "a CA file to verify NATS by")
	fs.StringVar(&conn.TLSCert, "nats-tls-cert", "", "a client certificate (with --nats-tls-key)")
	fs.StringVar(&conn.TLSKey, "nats-tls-key", "", "the client certificate's key")
	halls := fs.String("halls", "", "add: the halls the person works in, comma-separated, or * for every hall")
	role := fs.String("role", "clerk", "add: clerk or admin")
	name := fs.String("name", "", "add: the person's name as colleagues see it")
	pwStdin := fs.Bool("password-stdin", false, "add: read the password from the first line of standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	conn.Password = os.Getenv("LANGELIS_NATS_PASSWORD")
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	sc, err := citynats.OpenStaff(ctx, conn)
	if err != nil {
		return fmt.Errorf("central staff: %w", err)
	}
	defer sc.Close()
	username := fs.Arg(0)
	switch args[0] {
	case "list":
		all, err := sc.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tNAME\tHALLS\tSTATE")
		for _, a := range all {
			state := "active"
			if a.User.Disabled {
				state = "revoked"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.User.Username, a.User.Role, a.User.Name, strings.Join(a.Halls, ","), state)
		}
		return tw.Flush()
	case "add":
		if !validUsername(username) {
			return errors.New("central staff add: give a username of letters, digits, dot, dash or underscore (3-32)")
		}
		if r := queue.Role(*role); r != queue.RoleClerk && r != queue.RoleAdmin {
			return fmt.Errorf("central staff add: role %q is not clerk or admin", *role)
		}
		var hs []string
		for _, h := range strings.Split(*halls, ",") {
			if h = strings.TrimSpace(h); h == "*" || city.ValidHall(h) {
				hs = append(hs, h)
			} else if h != "" {
				return fmt.Errorf("central staff add: %q is not a hall id", h)
			}
		}
		if len(hs) == 0 {
			return errors.New("central staff add: say which halls with --halls a,b (or * for every hall)")
		}
		if !*pwStdin {
			fmt.Fprint(stderr, "Password (at least 8 characters): ")
		}
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		pw := strings.TrimRight(line, "\r\n")
		if len(pw) < 8 {
			return errors.New("central staff add: give a password of at least 8 characters")
		}
		h, err := password.Hash(pw)
		if err != nil {
			return err
		}
		if *name == "" {
			*name = username
		}
		a := city.StaffAccount{User: queue.User{Username: username, Name: *name, Role: queue.Role(*role), PasswordHash: h, CreatedAt: time.Now()}, Halls: hs}
		if err := sc.Put(ctx, a); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Saved %s for %s; each hall takes it as soon as its link is up.\n", username, strings.Join(hs, ", "))
		return nil
	case "disable":
		a, err := sc.Get(ctx, username)
		if err != nil {
			return fmt.Errorf("central staff disable: no staff account %q: %w", username, err)
		}
		a.User.Disabled = true
		if err := sc.Put(ctx, a); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Revoked %s: each hall disables it as soon as its link is up; a hall cut off now does when its link returns.\n", username)
		return nil
	}
	return errors.New(help)
}

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"langelis/central"
	"langelis/central/postgres"
	"langelis/citynats"
	"langelis/password"
	"langelis/queue"
)

func init() { extraCommands["central"] = cmdCentral }

// cmdCentral runs the city's centre (docs/city.md), or manages its staff
// accounts: langelis central user add|list ...
func cmdCentral(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "user" {
		return cmdCentralUser(args[1:], os.Stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "staff" {
		return cmdCentralStaff(ctx, args[1:], os.Stdin, stdout, stderr)
	}
	fs := flag.NewFlagSet("central", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg central.Config
	addr := fs.String("addr", "127.0.0.1:8090", "address to serve /city and /halls on")
	fs.StringVar(&cfg.Data, "data", "central-data", "folder for the centre's bbolt file (and the embedded NATS's files)")
	fs.StringVar(&cfg.NATS.URLs, "nats", "", "the city's NATS (nats://nats1:4222,nats://nats2:4222,...); leave it out with --embed-nats")
	fs.StringVar(&cfg.NATS.Creds, "nats-creds", "", "a NATS .creds file to sign in with")
	fs.StringVar(&cfg.NATS.NKeySeed, "nats-nkey", "", "a file holding the NATS NKey seed to sign in with")
	fs.StringVar(&cfg.NATS.User, "nats-user", "", "a NATS user to sign in as (its password in LANGELIS_NATS_PASSWORD)")
	fs.StringVar(&cfg.NATS.TLSCA, "nats-tls-ca", "", "a CA file to verify NATS by")
	fs.StringVar(&cfg.NATS.TLSCert, "nats-tls-cert", "", "a client certificate for NATS (with --nats-tls-key)")
	fs.StringVar(&cfg.NATS.TLSKey, "nats-tls-key", "", "the client certificate's key")
	fs.IntVar(&cfg.Replicas, "replicas", 1, "the halls' stream replicas: 3 on a three-node NATS cluster")
	embed := fs.Bool("embed-nats", false, "run the city's NATS (with JetStream) inside this program: one machine, a demonstration")
	natsListen := fs.String("nats-listen", "127.0.0.1:4222", "with --embed-nats: where halls connect")
	leafListen := fs.String("nats-leaf-listen", "", "with --embed-nats: where halls' leaf nodes connect, e.g. 0.0.0.0:7422")
	pg := fs.String("postgres", "", "keep the centre's copy in PostgreSQL at this address (postgres://user@host/db; the password in PGPASSWORD) instead of DATA/central.db")
	demo := fs.Bool("demo", false, "add a demo staff account, city, with a new password printed at every start")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lv}))
	var err error
	cfg.NATS.Password = os.Getenv("LANGELIS_NATS_PASSWORD")
	if *embed {
		cfg.Embed = &citynats.HubConfig{Listen: *natsListen, LeafListen: *leafListen}
	} else if cfg.NATS.URLs == "" {
		return errors.New("central: give the city's NATS with --nats, or run one inside with --embed-nats")
	}
	if *pg != "" {
		if cfg.Store, err = postgres.Open(*pg); err != nil {
			return err
		}
	}
	c, err := central.Open(ctx, cfg)
	if err != nil {
		if cfg.Store != nil {
			cfg.Store.Close()
		}
		return err
	}
	defer c.Close()
	if *demo {
		pw := "demo-" + strings.ToLower(randomToken()[:6])
		h, err := password.Hash(pw)
		if err != nil {
			return err
		}
		if err := c.Store.PutUser(queue.User{Username: "city", Name: "Miesto koordinatorė", Role: queue.RoleAdmin, PasswordHash: h, CreatedAt: time.Now()}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Demo staff account: city %s\n", pw)
	}
	if err := c.Listen(*addr); err != nil {
		return err
	}
	if c.Hub != nil {
		fmt.Fprintf(stdout, "NATS (JetStream) for the halls at %s", c.Hub.ClientURL())
		if u := c.Hub.LeafURL(); u != "" {
			fmt.Fprintf(stdout, ", leaf nodes at %s", u)
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintf(stdout, "Langelis central is serving at %s\n  city view %s/city   every hall's wait %s/halls\n", c.URL(), c.URL(), c.URL())
	<-ctx.Done()
	cfg.Logger.Info("central: shutting down")
	return nil
}

// cmdCentralUser manages the centre's staff accounts, with the centre
// stopped (bbolt allows one process at a time).
func cmdCentralUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	const help = "central user: say add or list, e.g.\n  langelis central user add --data central-data --name \"Rasa Petraitė\" rasa"
	if len(args) == 0 {
		return errors.New(help)
	}
	fs := flag.NewFlagSet("central user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "central-data", "the centre's data folder")
	name := fs.String("name", "", "the person's name (add)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	disable := fs.Bool("disable", false, "add: disable the account instead (its sign-ins stop working)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := central.OpenBolt(filepath.Join(*dir, central.FileName))
	if err != nil {
		return fmt.Errorf("central user: %w (stop the centre first)", err)
	}
	defer s.Close()
	switch args[0] {
	case "list":
		users, err := s.Users()
		if err != nil {
			return err
		}
		for _, u := range users {
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(stdout, "%-16s %-24s %s\n", u.Username, u.Name, state)
		}
		return nil
	case "add":
		username := fs.Arg(0)
		if !validUsername(username) {
			return errors.New("central user add: give a username of letters, digits, dot, dash or underscore (3-32)")
		}
		u, err := s.User(username)
		if err != nil {
			u = queue.User{Username: username, Role: queue.RoleAdmin, CreatedAt: time.Now()}
		}
		if *name != "" {
			u.Name = *name
		}
		if u.Name == "" {
			u.Name = username
		}
		u.Disabled = *disable
		if !*disable {
			if !*pwStdin {
				fmt.Fprint(stderr, "Password (at least 8 characters): ")
			}
			line, _ := bufio.NewReader(stdin).ReadString('\n')
			pw := strings.TrimRight(line, "\r\n")
			if len(pw) < 8 {
				return errors.New("central user add: give a password of at least 8 characters")
			}
			if u.PasswordHash, err = password.Hash(pw); err != nil {
				return err
			}
		}
		if err := s.PutUser(u); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Saved %s.\n", username)
		return nil
	}
	return errors.New(help)
}

// Package citynats carries the city link (package city) over NATS
// JetStream: the hall's side (Link: the outbox's events onto the stream,
// its status, the centre's acknowledgements and list of halls), the
// centre's side (Feed: the stream into the centre's store), and the NATS
// servers a small city runs inside the programs themselves (Hub: the
// centre's JetStream server; Leaf: a hall's leaf node).
//
// Why NATS JetStream: it is an existing, well-kept distributed log with
// durable streams, per-message ids for deduplication, leaf nodes for
// branch sites and a clustered mode for the centre, all embeddable as a
// Go module, so `make run-city` and the tests need nothing installed.
// What it does not give is trusted here neither: its duplicate window is
// minutes and its disk sync interval is not an fsync per message, so the
// hall resends from its own cursor and the centre decides by epoch and
// seq (city.Ledger) and acknowledges only after its own durable write.
package citynats

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// ConnConfig says how to reach NATS and who we are there.
type ConnConfig struct {
	// URLs are the NATS servers, comma-separated (nats://host:4222,...).
	URLs string
	Name string // the connection's name, seen in NATS monitoring

	Creds    string // a .creds file (JWT and seed), for an operator-mode NATS
	NKeySeed string // a file holding an NKey seed
	User     string
	Password string

	TLSCA   string // a CA file to verify the servers by
	TLSCert string // a client certificate (mutual TLS), with TLSKey
	TLSKey  string
}

// Check reports a configuration that cannot work.
func (c ConnConfig) Check() error {
	switch {
	case strings.TrimSpace(c.URLs) == "":
		return errors.New("give the NATS address, e.g. --nats nats://city.example:4222")
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return errors.New("a client certificate needs both --nats-tls-cert and --nats-tls-key")
	case c.Creds != "" && (c.NKeySeed != "" || c.User != ""):
		return errors.New("give one way to sign in to NATS: --nats-creds, --nats-nkey, or --nats-user")
	case c.Password != "" && c.User == "":
		return errors.New("--nats-password needs --nats-user")
	}
	return nil
}

// options are the nats.go options of c: reconnect for ever, and start
// even while NATS is away (a hall never needs the centre to start).
func (c ConnConfig) options(log *slog.Logger, onUp func()) ([]nats.Option, error) {
	opts := []nats.Option{
		nats.Name(c.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.ReconnectJitter(500*time.Millisecond, time.Second),
		nats.RetryOnFailedConnect(true),
		// What is published while disconnected is not kept here: the
		// outbox is the buffer, and it is durable.
		nats.ReconnectBufSize(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("city link: NATS connection lost", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("city link: NATS connection back", "server", nc.ConnectedUrlRedacted())
			if onUp != nil {
				onUp()
			}
		}),
		nats.ConnectHandler(func(nc *nats.Conn) {
			log.Info("city link: connected to NATS", "server", nc.ConnectedUrlRedacted())
			if onUp != nil {
				onUp()
			}
		}),
	}
	switch {
	case c.Creds != "":
		opts = append(opts, nats.UserCredentials(c.Creds))
	case c.NKeySeed != "":
		o, err := nats.NkeyOptionFromSeed(c.NKeySeed)
		if err != nil {
			return nil, fmt.Errorf("NATS nkey: %w", err)
		}
		opts = append(opts, o)
	case c.User != "":
		opts = append(opts, nats.UserInfo(c.User, c.Password))
	}
	if c.TLSCA != "" {
		opts = append(opts, nats.RootCAs(c.TLSCA))
	}
	if c.TLSCert != "" {
		opts = append(opts, nats.ClientCert(c.TLSCert, c.TLSKey))
	}
	return opts, nil
}

// Dial connects to NATS; it returns at once even when NATS cannot be
// reached yet, and keeps trying in the background. onUp runs at every
// (re)connection.
func Dial(c ConnConfig, log *slog.Logger, onUp func(), extra ...nats.Option) (*nats.Conn, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	opts, err := c.options(log, onUp)
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect(c.URLs, append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("NATS %s: %w", c.URLs, err)
	}
	return nc, nil
}

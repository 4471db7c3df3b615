package main

import (
	"errors"
	"flag"
	"os"

	"langelis/citynats"
)

// cityFlags adds the city link's flags to serve's (docs/city.md) and
// returns what reads them once parsed: nil when --nats is not given.
func cityFlags(fs *flag.FlagSet) func(publicURL string) (*citynats.LinkConfig, error) {
	var c citynats.LinkConfig
	var leaf bool
	var leafListen string
	fs.StringVar(&c.Conn.URLs, "nats", "", "link this hall to the city's centre over NATS: the city's NATS address (nats://city.example:4222), or with --nats-leaf its leaf node address (nats-leaf://city.example:7422); comma-separated for a cluster")
	fs.StringVar(&c.Hall, "hall", "", "this hall's id in the city, e.g. vilnius-centras (lower-case letters, digits, hyphens); needed with --nats")
	fs.StringVar(&c.URL, "hall-url", "", "the address residents reach this hall at, for the city's \"take a ticket there\" links (default: --public-url)")
	fs.StringVar(&c.Conn.Creds, "nats-creds", "", "a NATS .creds file to sign in with")
	fs.StringVar(&c.Conn.NKeySeed, "nats-nkey", "", "a file holding the NATS NKey seed to sign in with")
	fs.StringVar(&c.Conn.User, "nats-user", "", "a NATS user to sign in as (its password in LANGELIS_NATS_PASSWORD)")
	fs.StringVar(&c.Conn.TLSCA, "nats-tls-ca", "", "a CA file to verify the city's NATS by")
	fs.StringVar(&c.Conn.TLSCert, "nats-tls-cert", "", "a client certificate for NATS (with --nats-tls-key)")
	fs.StringVar(&c.Conn.TLSKey, "nats-tls-key", "", "the client certificate's key")
	fs.BoolVar(&leaf, "nats-leaf", false, "run an embedded NATS leaf node in this hall: it dials the city (--nats is then the city's leaf node address) and keeps the hall's own NATS for local clients")
	fs.StringVar(&leafListen, "nats-leaf-listen", "", "with --nats-leaf, let local NATS clients (a branch office's station) in at this address, e.g. 0.0.0.0:4222")
	return func(publicURL string) (*citynats.LinkConfig, error) {
		if c.Conn.URLs == "" {
			if c.Hall != "" || leaf {
				return nil, errors.New("--hall and --nats-leaf need --nats, the city's NATS address")
			}
			return nil, nil
		}
		if c.Hall == "" {
			return nil, errors.New("--nats needs --hall, this hall's id in the city")
		}
		if c.URL == "" {
			c.URL = publicURL
		}
		c.Conn.Password = os.Getenv("LANGELIS_NATS_PASSWORD")
		if err := c.Conn.Check(); err != nil {
			return nil, err
		}
		if leaf {
			c.Leaf = &citynats.LeafConfig{Remotes: c.Conn.URLs, Listen: leafListen, Creds: c.Conn.Creds,
				User: c.Conn.User, Password: c.Conn.Password, TLSCA: c.Conn.TLSCA}
		}
		return &c, nil
	}
}

package citynats

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// HubConfig is an embedded NATS server with JetStream: the centre's, for
// a city on one machine, a demonstration or a test. A city that needs
// the centre to survive a machine runs a three-node NATS cluster instead
// (docs/city.md).
type HubConfig struct {
	Listen     string // client address, host:port (port 0: any free one)
	LeafListen string // where halls' leaf nodes connect; empty: none
	StoreDir   string // JetStream's files
	User       string // when set, clients and leaf nodes sign in with it
	Password   string
}

// Hub is a running embedded NATS server.
type Hub struct {
	*server.Server
	leafAddr string
}

// StartHub starts an embedded NATS server with JetStream.
func StartHub(c HubConfig) (*Hub, error) {
	host, port, err := splitHostPort(c.Listen)
	if err != nil {
		return nil, fmt.Errorf("NATS listen address %q: %w", c.Listen, err)
	}
	opts := &server.Options{ServerName: "langelis-central", Host: host, Port: port, JetStream: true,
		StoreDir: c.StoreDir, NoSigs: true, NoLog: true, MaxPayload: 1 << 20,
		Username: c.User, Password: c.Password}
	if c.LeafListen != "" {
		lh, lp, err := splitHostPort(c.LeafListen)
		if err == nil && lp == server.RANDOM_PORT {
			// The server does not say which port it took for leaf nodes.
			lp, err = freePort(lh)
		}
		if err != nil {
			return nil, fmt.Errorf("NATS leaf listen address %q: %w", c.LeafListen, err)
		}
		opts.LeafNode.Host, opts.LeafNode.Port = lh, lp
		opts.LeafNode.Username, opts.LeafNode.Password = c.User, c.Password
	}
	ns, err := start(opts)
	if err != nil {
		return nil, err
	}
	h := &Hub{Server: ns}
	if c.LeafListen != "" {
		h.leafAddr = net.JoinHostPort(opts.LeafNode.Host, strconv.Itoa(opts.LeafNode.Port))
	}
	return h, nil
}

// LeafURL is where halls' leaf nodes connect, as nats-leaf://host:port.
func (h *Hub) LeafURL() string {
	if h.leafAddr == "" {
		return ""
	}
	return "nats-leaf://" + h.leafAddr
}

// Close stops the server and waits for it.
func (h *Hub) Close() {
	h.Server.Shutdown()
	h.Server.WaitForShutdown()
}

// LeafConfig is a hall's embedded NATS leaf node: the hall's link talks
// to it in-process, and it carries the traffic to the city's NATS over
// one outbound connection (no port to open at the hall), which it redials
// for ever. Listen, when set, lets local NATS clients in (a branch
// office's station on the hall's network) even while the city is away.
type LeafConfig struct {
	Remotes  string // the city's leaf node URLs, comma-separated (nats-leaf://city:7422)
	Listen   string // optional local client address, host:port
	Creds    string // credentials for the remote, as ConnConfig.Creds
	User     string // or a user and password for the remote
	Password string
	TLSCA    string // a CA to verify the remote by (a nats-leaf+tls:// or tls:// URL)
}

// StartLeaf starts the hall's leaf node.
func StartLeaf(c LeafConfig) (*server.Server, error) {
	var urls []*url.URL
	for _, s := range strings.Split(c.Remotes, ",") {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("NATS leaf remote %q: give a URL like nats-leaf://city.example:7422", s)
		}
		if c.User != "" {
			u.User = url.UserPassword(c.User, c.Password)
		}
		urls = append(urls, u)
	}
	if len(urls) == 0 {
		return nil, errors.New("an embedded NATS leaf node needs the city's leaf node address (--nats)")
	}
	opts := &server.Options{ServerName: "langelis-hall-leaf", NoSigs: true, NoLog: true, DontListen: c.Listen == ""}
	if c.Listen != "" {
		host, port, err := splitHostPort(c.Listen)
		if err != nil {
			return nil, fmt.Errorf("NATS leaf listen address %q: %w", c.Listen, err)
		}
		opts.Host, opts.Port = host, port
	}
	remote := &server.RemoteLeafOpts{URLs: urls, Credentials: c.Creds}
	if c.TLSCA != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CaFile: c.TLSCA})
		if err != nil {
			return nil, fmt.Errorf("NATS leaf TLS: %w", err)
		}
		remote.TLS, remote.TLSConfig = true, tc
	}
	opts.LeafNode.Remotes = []*server.RemoteLeafOpts{remote}
	opts.LeafNode.ReconnectInterval = time.Second
	return start(opts)
}

func start(opts *server.Options) (*server.Server, error) {
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("NATS server: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("NATS server: not ready after 10 s")
	}
	return ns, nil
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, err
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	return host, port, nil
}

// freePort finds a free TCP port on host.
func freePort(host string) (int, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

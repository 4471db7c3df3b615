package server

import (
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
)

// Limits bound what connections may hold, so that a flood of phones, idle
// keep-alives or slow request bodies never takes the hall's server from
// its clerks, kiosks and displays. Zero fields take the defaults below.
//
// Three layers:
//
//   - the listener accepts at most MaxConns connections at once, sized
//     below the process's open-file limit, so accept never fails for want
//     of a descriptor (the bbolt file, backups and logs keep some);
//   - websockets, which stay open for hours, may hold at most
//     MaxWebsockets of them: the rest is the REST API's reserve, so a
//     clerk can still call the next ticket when the screens' cap is
//     reached;
//   - of those, StaffWebsockets are kept for signed-in accounts (clerks,
//     kiosk stations, admins) and for the station networks (KioskNets,
//     where the kiosks and the hall's displays sit): anonymous connections
//     from anywhere else, visitors' phones, never take them. One address
//     (an IPv6 /64) may hold WebsocketsPerAddr anonymous websockets; the
//     default is generous, as a hall's guest Wi-Fi puts many honest phones
//     behind one address.
//
// The timeouts drop what does not behave like a person's browser: a
// request whose headers and body take longer than ReadTimeout, an answer
// the client does not take within WriteTimeout, and a kept-alive
// connection idle for IdleTimeout. Websockets set their own deadlines once
// upgraded (the keep-alive, wire.OfflineAfter).
type Limits struct {
	MaxConns          int // connections open at once; default: the open-file limit less FileReserve
	MaxWebsockets     int // websockets at once; default: MaxConns less a tenth (the REST API's reserve), at most DefaultMaxWebsockets
	StaffWebsockets   int // of MaxWebsockets, kept for staff and station networks; default: a tenth, at least 32
	WebsocketsPerAddr int // anonymous websockets per address (IPv6: per /64); default 1,000

	ReadTimeout  time.Duration // a whole request, headers and body; default 20 s
	WriteTimeout time.Duration // an answer; default 30 s (a backup download sets its own)
	IdleTimeout  time.Duration // a kept-alive connection between requests; default 30 s
}

// The defaults' constants.
const (
	// FileReserve is how many open files MaxConns leaves for the rest of
	// the process: the bbolt file, a backup being written, logs, DNS.
	FileReserve = 64
	// DefaultMaxWebsockets bounds the default websocket cap whatever the
	// open-file limit: at about 15 KiB each, 20,000 screens and phones
	// take some 300 MB.
	DefaultMaxWebsockets = 20000
	// DefaultWebsocketsPerAddr is the default per-address cap.
	DefaultWebsocketsPerAddr = 1000
)

// withDefaults fills the zero fields; files is the open-file limit (0 when
// unknown).
func (l Limits) withDefaults(files int) Limits {
	if l.MaxConns <= 0 {
		switch {
		case files <= 0:
			l.MaxConns = 4096
		case files > 4*FileReserve:
			l.MaxConns = files - FileReserve
		default:
			l.MaxConns = files / 2
		}
	}
	if l.MaxWebsockets <= 0 {
		l.MaxWebsockets = min(l.MaxConns-max(l.MaxConns/10, 16), DefaultMaxWebsockets)
	}
	if l.StaffWebsockets <= 0 {
		l.StaffWebsockets = max(l.MaxWebsockets/10, 32)
	}
	l.StaffWebsockets = min(l.StaffWebsockets, l.MaxWebsockets)
	if l.WebsocketsPerAddr <= 0 {
		l.WebsocketsPerAddr = DefaultWebsocketsPerAddr
	}
	if l.ReadTimeout <= 0 {
		l.ReadTimeout = 20 * time.Second
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = 30 * time.Second
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = 30 * time.Second
	}
	return l
}

// check refuses limits that leave the REST API no room.
func (l Limits) check() error {
	if l.MaxWebsockets >= l.MaxConns {
		return fmt.Errorf("server: %d websockets leave no room for the REST API within %d connections; allow fewer websockets or more connections", l.MaxWebsockets, l.MaxConns)
	}
	return nil
}

// connClass is whose budget a websocket counts against.
type connClass int

const (
	classPublic  connClass = iota // anonymous, from outside the station networks: phones
	classStation                  // anonymous, from a station network: displays, kiosks
	classStaff                    // signed in
)

// connClass tells a websocket's budget.
func (s *Server) connClass(c echo.Context, u *queue.User) connClass {
	if u != nil {
		return classStaff
	}
	if s.onKioskNet(c) {
		return classStation
	}
	return classPublic
}

// addrKey is what the per-address cap counts by: an IPv4 address, or an
// IPv6 /64 (one household or phone gets a whole /64, so counting single
// IPv6 addresses would cap nothing).
func addrKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil {
		return addr
	}
	if ip4 := ip.To4(); ip4 != nil {
		return ip4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// wsCounter counts the open websockets against Limits.
type wsCounter struct {
	lim  Limits
	log  func(msg string, args ...any)
	real queue.Clock

	mu      sync.Mutex
	total   int
	public  int
	perAddr map[string]int
	refused int       // since the last log line
	logged  time.Time // when the last refusal was logged
}

func newWSCounter(lim Limits, real queue.Clock, log func(string, ...any)) *wsCounter {
	return &wsCounter{lim: lim, real: real, log: log, perAddr: map[string]int{}}
}

// acquire takes a websocket slot, or refuses with a 503 that says which
// cap was reached. release gives the slot back; call it exactly once.
func (w *wsCounter) acquire(class connClass, addr string) (release func(), err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	anon := class != classStaff
	switch {
	case w.total >= w.lim.MaxWebsockets:
		err = queue.E(queue.EUNAVAILABLE, "err.ws.full", "max", w.lim.MaxWebsockets)
	case class == classPublic && w.public >= w.lim.MaxWebsockets-w.lim.StaffWebsockets:
		err = queue.E(queue.EUNAVAILABLE, "err.ws.public_full", "max", w.lim.MaxWebsockets-w.lim.StaffWebsockets)
	case anon && w.perAddr[addr] >= w.lim.WebsocketsPerAddr:
		err = queue.E(queue.EUNAVAILABLE, "err.ws.addr_full", "max", w.lim.WebsocketsPerAddr)
	}
	if err != nil {
		w.refusedLocked(class, addr)
		return nil, err
	}
	w.total++
	if class == classPublic {
		w.public++
	}
	if anon {
		w.perAddr[addr]++
	}
	var once sync.Once
	return func() { once.Do(func() { w.release(class, addr) }) }, nil
}

func (w *wsCounter) release(class connClass, addr string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.total--
	if class == classPublic {
		w.public--
	}
	if class != classStaff {
		if w.perAddr[addr]--; w.perAddr[addr] <= 0 {
			delete(w.perAddr, addr)
		}
	}
}

// refusedLocked logs refusals, at most one line every ten seconds, so a
// flood tells the log without filling it.
func (w *wsCounter) refusedLocked(class connClass, addr string) {
	w.refused++
	now := w.real.Now()
	if now.Sub(w.logged) < 10*time.Second {
		return
	}
	w.log("server: websocket connections refused at their cap", "refused", w.refused, "open", w.total,
		"public", w.public, "last_addr", addr, "last_class", [...]string{"public", "station", "staff"}[class])
	w.refused, w.logged = 0, now
}

// counts returns the open websockets: all, and the public ones.
func (w *wsCounter) counts() (total, public int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.total, w.public
}

package server

import (
	"net"
	"sync"
)

// limitListener accepts at most n connections at once; Accept waits for
// one to close before it takes the next, leaving the rest in the kernel's
// queue, so the process never runs out of file descriptors mid-accept.
// It is golang.org/x/net/netutil's LimitListener with one difference the
// websockets need: the accepted connection still gives its *net.TCPConn
// (Unwrap), whose send buffer handleWS shrinks to notice a stalled
// client early.
type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func newLimitListener(ln net.Listener, n int) *limitListener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

// limitedConn gives its slot back when closed, once.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// Unwrap returns the accepted connection.
func (c *limitedConn) Unwrap() net.Conn { return c.Conn }

// tcpConn finds the *net.TCPConn under c, or nil.
func tcpConn(c net.Conn) *net.TCPConn {
	for {
		switch v := c.(type) {
		case *net.TCPConn:
			return v
		case interface{ Unwrap() net.Conn }:
			c = v.Unwrap()
		default:
			return nil
		}
	}
}

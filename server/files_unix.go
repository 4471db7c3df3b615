//go:build unix

package server

import "syscall"

// RaiseFileLimit raises the process's soft limit on open files to its hard
// limit, as far as the system lets it, and returns the limit in force (0
// when unknown). Every websocket and every HTTP connection is a file; the
// soft limit is often 1,024 while the hard one is far higher. (Go's own
// start-up does the same; this makes it explicit and tells the figure.)
func RaiseFileLimit() int {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0
	}
	if r.Cur < r.Max {
		want := r
		want.Cur = r.Max
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) == nil {
			r = want
		}
	}
	return clampFiles(r.Cur)
}

// openFileLimit is the soft limit on open files, 0 when unknown.
func openFileLimit() int {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0
	}
	return clampFiles(r.Cur)
}

// clampFiles keeps an unlimited or huge limit to a figure the defaults can
// use: memory, not descriptors, bounds a server with a million of them.
func clampFiles(n uint64) int {
	const most = 1 << 20
	if n > most {
		return most
	}
	return int(n)
}

//go:build unix

package forecast_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used: on a machine shared
// with other work, CPU per operation says more than time per operation.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

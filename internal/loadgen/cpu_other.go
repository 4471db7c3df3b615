//go:build !unix

package loadgen

// selfCPU is unknown here.
func selfCPU() float64 { return 0 }

//go:build !unix

package server

// RaiseFileLimit does nothing where there is no open-file limit to raise;
// it returns 0 (unknown).
func RaiseFileLimit() int { return 0 }

func openFileLimit() int { return 0 }

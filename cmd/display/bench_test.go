package main

import (
	"testing"
	"time"

	"langelis/office"
	"langelis/queue"
)

// BenchmarkRender is one full frame of a busy board at 160×48: the board
// redraws every second, so this bounds its CPU use on a small PC.
func BenchmarkRender(b *testing.B) {
	o := office.Demo()
	calls := make([]queue.Call, 20)
	for i := range calls {
		calls[i] = queue.Call{Number: queue.FormatNumber("A", 120-i), Desk: 1 + i%5}
	}
	board := Board{Office: o, Second: "en", Calls: calls, Waiting: map[string]int{"A": 12, "B": 3, "C": 0, "D": 7},
		Now: time.Date(2026, 11, 23, 12, 0, 0, 0, o.Location()), Connected: true, Fresh: true, Color: true}
	for b.Loop() {
		Render(board, 160, 48)
	}
}

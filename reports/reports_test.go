package reports

import (
	"testing"
)

// A month's median and p90 are taken over every visitor of every day, not
// averaged from each day's: two days of 3 and 1 visitors have the median
// of the four.
func TestPeriodPercentilesAreExact(t *testing.T) {
	d1 := Day{Day: "2026-11-02", Groups: map[string]*Figures{All: {Called: 3, Wait: []int32{60, 120, 1800}}}}
	d2 := Day{Day: "2026-11-03", Groups: map[string]*Figures{All: {Called: 1, Wait: []int32{240}}}}
	f := Total([]Day{d1, d2})[All]
	w := Summarise(f.Wait)
	if w.N != 4 || w.Median != 2 || w.P90 != 30 || w.Max != 30 || w.Mean != (60+120+1800+240)/4.0/60 {
		t.Fatalf("merged waits: %+v", w)
	}
	ms := Months([]Day{d1, d2, {Day: "2026-12-01", Groups: map[string]*Figures{All: {Served: 1}}}, {Day: "2026-12-05"}})
	if len(ms) != 2 || ms[0].Month != "2026-12" || ms[0].Days != 1 || ms[1].Days != 2 || ms[1].Wait.Median != 2 {
		t.Fatalf("months: %+v", ms)
	}
}

// Groupings: weekday keys are ISO (Monday 1), desks sort as numbers, and
// the clerk grouping reads only the staff figures.
func TestGroup(t *testing.T) {
	days := []Day{
		{Day: "2026-11-02", Groups: map[string]*Figures{All: {Issued: 2}, DeskKey(10): {Served: 1}, DeskKey(2): {Served: 4}}},
		{Day: "2026-11-08", Groups: map[string]*Figures{All: {Issued: 5}}},
	}
	staff := []Staff{{Day: "2026-11-02", Clerks: map[string]*Figures{"rasa": {Served: 3}}}}
	if rows := Group(days, staff, ByWeekday); len(rows) != 2 || rows[0].Key != "1" || rows[1].Key != "7" || rows[1].F.Issued != 5 {
		t.Fatalf("by weekday: %+v", rows)
	}
	if rows := Group(days, staff, ByDesk); len(rows) != 2 || rows[0].Key != "2" || rows[1].Key != "10" {
		t.Fatalf("by desk: %+v", rows)
	}
	if rows := Group(days, staff, ByClerk); len(rows) != 1 || rows[0].Key != "rasa" || rows[0].F.Served != 3 {
		t.Fatalf("by clerk: %+v", rows)
	}
}

// The main table rounds once, to a tenth; what cannot be measured is nil,
// not zero.
func TestMainRow(t *testing.T) {
	r := MainRow(All, &Figures{Issued: 3, Called: 2, InTarget: 1, SLBase: 3, Wait: []int32{61, 200},
		EstErr: []int32{-30, 900}, Pauses: map[string]Pause{ReasonOther: {N: 2, Seconds: 95}}})
	v := func(i int) any {
		if r.Values[i] == nil {
			return nil
		}
		return *r.Values[i]
	}
	if v(0) != 3.0 || v(7) != 2.2 || v(8) != 1.0 || v(11) != nil || v(14) != 33.3 || v(15) != 50.0 || v(16) != 2.0 || v(17) != 1.6 {
		t.Fatalf("row: %v", []any{v(0), v(7), v(8), v(11), v(14), v(15), v(16), v(17)})
	}
}

func TestReasonCodes(t *testing.T) {
	for text, want := range map[string]string{"": ReasonNone, " Intoxicated ": "intoxicated", "aggressive": "aggressive",
		"he shouted at the clerk": ReasonOther} {
		if got := DefaultReasonCode(text); got != want {
			t.Errorf("%q → %q, want %q", text, got, want)
		}
	}
}

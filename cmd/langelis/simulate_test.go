package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"langelis/sim"
)

func simulate(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), append([]string{"simulate"}, args...), nil, &out, &errb); err != nil {
		t.Fatalf("simulate %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

func TestSimulateCompare(t *testing.T) {
	out := simulate(t, "--compare", "--policies", "fifo,default", "--days", "2", "--seed", "3")
	for _, want := range []string{"regular", "elderly", "priority", "fifo", "default K=3 W=40 H=30", "p90 wait", "against fifo",
		"Priority against fairness", "priority/regular", "overtaken beyond W", "10%", "30%"} {
		if !strings.Contains(out, want) {
			t.Errorf("the comparison does not mention %q:\n%s", want, out)
		}
	}
	if again := simulate(t, "--compare", "--policies", "fifo,default", "--days", "2", "--seed", "3"); again != out {
		t.Errorf("same seed, different output")
	}
}

func TestSimulateOnePolicyListsEachDayEnd(t *testing.T) {
	out := simulate(t, "--days", "2", "--policy", "default", "--forecast=false") // the forecasts: TestSimulateBusyForecasts
	for _, want := range []string{"End of day", "2026-11-23", "2026-11-24", "first announcement", "19:00"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not mention %q:\n%s", want, out)
		}
	}
}

func TestSimulateJSON(t *testing.T) {
	var r sim.Result
	if err := json.Unmarshal([]byte(simulate(t, "--json", "--days", "1", "--policy", "aging", "--forecast=false")), &r); err != nil {
		t.Fatal(err)
	}
	if r.Policy != "aging" || len(r.Stats) != len(sim.Rows) || r.Estimate == nil || len(r.EndOfDay) != 1 || r.Forecast != nil {
		t.Fatalf("json result: %+v", r)
	}
	var errb bytes.Buffer
	if err := run(context.Background(), []string{"simulate", "--priority", "2"}, nil, &bytes.Buffer{}, &errb); err == nil {
		t.Fatal("a priority share of 2 was accepted")
	}
}

// The busy office's day: the forecasts against the oracle, and the
// announcement's range beside the oracle's.
func TestSimulateBusyForecasts(t *testing.T) {
	out := simulate(t, "--office", "busy", "--days", "1", "--seed", "2")
	for _, want := range []string{"užimta seniūnija", "range (90 %)", "oracle's", "Forecasts at issue, against the oracle",
		"the 80 % range held the call", "the first announcement's 90 % range held"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not mention %q:\n%s", want, out)
		}
	}
	var errb bytes.Buffer
	if err := run(context.Background(), []string{"simulate", "--office", "mall"}, nil, &bytes.Buffer{}, &errb); err == nil || !strings.Contains(err.Error(), "busy or demo") {
		t.Fatalf("an unknown office: %v", err)
	}
}

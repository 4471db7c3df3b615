package sim

import (
	"math"
	"sort"

	"langelis/office"
	"langelis/queue"
)

// Scenario is a built-in office with its visitors: what `langelis
// simulate --office NAME` runs.
type Scenario struct {
	Name   string
	About  string
	Office func() *queue.Office
	PerDay map[string]float64
	// Profile is the arrival rate through the day (Config.Profile).
	Profile func(hour float64) float64
}

// Scenarios are the built-in offices.
var Scenarios = map[string]Scenario{
	"demo": {Name: "demo", About: "the demo office: five desks, four services, open 08:00-20:00 every day, about two thirds busy",
		Office: office.Demo, PerDay: DefaultPerDay, Profile: DailyProfile},
	"busy": {Name: "busy", About: "a busy district hall: four desks, three services, 08:00-17:00 and 15:45 on Friday, more visitors in the afternoon than the desks serve",
		Office: office.Busy, PerDay: BusyPerDay, Profile: BusyProfile},
}

// ScenarioNames lists the built-in scenarios, sorted.
func ScenarioNames() []string {
	var out []string
	for n := range Scenarios {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// BusyPerDay is the busy office's daily demand: about the desks' whole
// capacity over a day (more of it on a Friday), most of it after lunch.
var BusyPerDay = map[string]float64{"A": 95, "B": 85, "C": 40}

// BusyProfile is the busy office's day: a modest morning, and an
// afternoon rush from about 13:00 that the desks cannot keep up with.
func BusyProfile(h float64) float64 {
	g := func(mu, sd float64) float64 { return math.Exp(-(h - mu) * (h - mu) / (2 * sd * sd)) }
	return 0.35 + 0.5*g(9.5, 1.0) + 1.1*g(14, 1.4)
}

// Package forecast is the forward model beside the engine (DESIGN.md
// "Predictions"): it runs the rest of the day many times over, each time
// drawing the service times, the no-shows and the priority visitors still
// to come, and reads off every waiting ticket's median call time, the range
// that holds with 80 % probability, the probability of a call today, and
// the hall's cutoff range.
//
// The runs start from exactly what the projection starts from
// (queue.ForecastInput: the waiting line in order, the open desks with what
// they hold, breaks, stays and early leaves, each desk's services) and ask
// the office's own policy for every call (priority.LinePolicy), so the
// model differs from the projection only where the projection has to
// assume: how long things take and who else comes. What it draws from is a
// Model, learned from the day's and the recent days' events by a Learner;
// the simulator fills a Model with the true distributions instead to
// measure the oracle, the best any predictor can do (package sim).
//
// A Forecaster runs it in its own goroutine at most every few seconds and
// hands the answer to the engine (queue.Engine.SetForecast), which only
// reads it: the engine's commit path never waits for a run.
package forecast

import (
	"math"
	"time"
)

// Model is what the runs draw from.
type Model struct {
	// Services are the service times per service letter. A service
	// without one takes its target time (Fallback).
	Services map[string]LogNormal
	// DeskOffset adds to the log of every service time at a desk: a
	// clerk faster or slower than the office.
	DeskOffset map[int]float64
	// Overhead is added to every call's desk time: from the call to the
	// start of the service (the walk to the desk, recalls).
	Overhead time.Duration
	// NoShow is the probability that a call ends in a no-show, which
	// takes the desk NoShowTime.
	NoShow     float64
	NoShowTime time.Duration
	// Cancel is the rate, per minute of waiting, at which a waiting
	// visitor gives up (cancels, or leaves the hall).
	Cancel float64
	// Arrivals are the priority visitors still to come today, per
	// service: they may go ahead of the tickets waiting now.
	Arrivals map[string]Rate
}

// LogNormal is a service-time distribution: the log of the time in
// seconds is normal with mean Mu and standard deviation Sigma. MuSE is the
// standard error of Mu from the samples it was fitted to; each run draws
// its own Mu around it, so that the ranges carry what the samples do not
// know yet.
type LogNormal struct {
	Mu, Sigma, MuSE float64
}

// Mean is the distribution's mean.
func (l LogNormal) Mean() time.Duration {
	return secs(math.Exp(l.Mu + l.Sigma*l.Sigma/2))
}

// FromMeanCV is the lognormal distribution with the given mean and
// coefficient of variation (standard deviation over mean).
func FromMeanCV(mean time.Duration, cv float64) LogNormal {
	s2 := math.Log(1 + cv*cv)
	return LogNormal{Mu: math.Log(mean.Seconds()) - s2/2, Sigma: math.Sqrt(s2)}
}

// Rate is an arrival rate that changes in steps: PerMinute[i] arrivals a
// minute from From+i·Step to From+(i+1)·Step, none outside.
type Rate struct {
	From      time.Time
	Step      time.Duration
	PerMinute []float64
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

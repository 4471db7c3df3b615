package office_test

import (
	"strings"
	"testing"

	"langelis/office"
	"langelis/queue"
)

const bookingFile = `name: Test
services:
  - letter: A
    names: {lt: Deklaravimas}
    target_minutes: 10
    booking:
      shares: {"13:00-16:00": 30, "09:00-12:00": 40}
      slot_minutes: 20
desks:
  - {number: 1, services: [A]}
hours:
  monday: "08:00-17:00"
`

// A service's booking settings read from the file with their defaults,
// and write back (Export) to the same settings.
func TestBookingSettingsParseAndExport(t *testing.T) {
	o, err := office.Parse("office.yaml", []byte(bookingFile))
	if err != nil {
		t.Fatal(err)
	}
	b := o.Services[0].Booking
	if b == nil || len(b.Shares) != 2 || b.Shares[0].Span.Start != 9*60 || b.Shares[0].Percent != 40 || b.Shares[1].Percent != 30 {
		t.Fatalf("booking %+v", b)
	}
	if b.SlotMinutes != 20 || b.DaysAhead != queue.DefaultDaysAhead || b.CheckInBefore != 30 || b.CheckInAfter != 15 || b.GraceMinutes != queue.DefaultGraceMinutes {
		t.Fatalf("defaults %+v", b)
	}
	back, err := office.Check(o)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Services[0].Booking; got == nil || got.Shares[1] != b.Shares[1] || got.SlotMinutes != 20 {
		t.Fatalf("after export and parse: %+v", got)
	}
}

// Mistakes in booking settings are refused with the line and what is wrong,
// and office.Check refuses them too.
func TestBookingSettingsMistakes(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{`"13:00-16:00": 30`, `"13:00-16:00": 130`, "at most 100, not 130"},
		{`"13:00-16:00": 30`, `"11:00-16:00": 30`, "overlaps"},
		{`"13:00-16:00": 30`, `"13:00": 30`, "not one time range"},
		{`slot_minutes: 20`, `slot_minutes: 2`, "slot_minutes"},
		{`slot_minutes: 20`, `slot_mintues: 20`, "did you mean slot_minutes?"},
	} {
		_, err := office.Parse("office.yaml", []byte(strings.Replace(bookingFile, c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "office.yaml:") {
			t.Errorf("%s: %v, want a line and %q", c.to, err, c.want)
		}
	}
	o, _ := office.Parse("office.yaml", []byte(bookingFile))
	o.Services[0].Booking.Shares[0].Percent = 0
	if _, err := office.Check(o); err == nil {
		t.Error("office.Check took a 0 % share")
	}
}

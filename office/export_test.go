package office_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"langelis/i18n"
	"langelis/office"
	"langelis/queue"
)

func sameOffice(t *testing.T, name string, want, got *queue.Office) {
	t.Helper()
	a, _ := json.MarshalIndent(want, "", " ")
	b, _ := json.MarshalIndent(got, "", " ")
	if string(a) != string(b) {
		t.Fatalf("%s: the export does not read back to the same office:\nwant %s\ngot  %s", name, a, b)
	}
}

// The export of the running configuration is an office file that reads
// back to the very same configuration: the demo, the busy office, the
// documented example, and one with everything the admin pages can set
// (retired services and desks, colours, holidays, exceptions, quotes and
// Cyrillic in names).
func TestExportRoundTrip(t *testing.T) {
	example, err := os.ReadFile("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := office.Parse("example.yaml", example)
	if err != nil {
		t.Fatal(err)
	}
	full := office.Demo()
	full.Names = map[string]string{"en": `The "Hall": #1`, "ru": "Зал: обслуживания"}
	full.Services[0].Colour = "#1f6feb"
	full.Services[0].DailyCap = 250
	full.Services[0].TargetMinutes = 7.5
	full.Services[1].TargetWaitMinutes = 25
	full.RetiredServices = []queue.Service{{Letter: "Z", Names: map[string]string{"lt": "Sena paslauga", "en": "Old: service"}, TargetMinutes: 10}}
	full.RetiredDesks = []int{42}
	full.Hours.Holidays = map[string]bool{"2026-12-24": true, "2026-12-25": true}
	full.Hours.Exceptions = map[string][]queue.Span{"2026-12-31": {{Start: 8 * 60, End: 13 * 60}}, "2026-12-27": nil}
	full.Priority.Policy = "ratio"
	full.AuditRetentionDays = 400
	full.BeyondCutoff = "stop"
	if err := full.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, o := range map[string]*queue.Office{"demo": office.Demo(), "busy": office.Busy(), "example": ex, "full": full} {
		data := office.Export(o, "exported by ona on 2026-11-30 15:00")
		got, err := office.Parse("export.yaml", data)
		if err != nil {
			t.Fatalf("%s: the export does not parse: %v\n%s", name, err, data)
		}
		sameOffice(t, name, o, got)
		if !strings.HasPrefix(string(data), "# exported by ona") {
			t.Fatalf("%s: no header comment:\n%s", name, data)
		}
	}
}

// Check refuses a bad value with the office file's own message.
func TestCheckSpeaksLikeTheFile(t *testing.T) {
	o := office.Demo()
	o.Services[0].TargetMinutes = 900
	_, err := office.Check(o)
	var qe *queue.Error
	if err == nil || !asQueueError(err, &qe) || qe.Code != queue.EINVALID {
		t.Fatalf("check: %v", err)
	}
	// The same mistake in a file: the first service's target_minutes.
	demo := string(office.Export(office.Demo(), ""))
	i := strings.Index(demo, "target_minutes: ")
	j := i + strings.IndexByte(demo[i:], '\n')
	file := demo[:i] + "target_minutes: 900" + demo[j:]
	_, ferr := office.Parse("office.yaml", []byte(file))
	if ferr == nil {
		t.Fatal("the file took target_minutes 900")
	}
	why := i18n.T("en", qe.Key, qe.Args...)
	if want := "The configuration was not changed: " + strings.SplitN(ferr.Error(), ": ", 2)[1]; why != want {
		t.Fatalf("check says %q, the file says %q", why, ferr)
	}
	lt := i18n.T("lt", qe.Key, qe.Args...)
	if lt != "Konfigūracija nepakeista: Paslaugos A target_minutes turi būti daugiau nei 0 ir ne daugiau kaip 480, o ne 900" {
		t.Fatalf("in Lithuanian: %q", lt)
	}
}

func asQueueError(err error, qe **queue.Error) bool {
	e, ok := err.(*queue.Error)
	*qe = e
	return ok
}

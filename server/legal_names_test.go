package server_test

import (
	"strings"
	"testing"

	"langelis/internal/e2e"
	"langelis/office"
)

// The Bulgarian privacy notice and accessibility statement name the
// bodies a visitor may turn to as Bulgarian says them after "до" and
// "към", with the article ("до Комисията за защита на личните данни",
// "към Министерството на електронното управление"), from the names the
// office file gives; the other languages, which put the name after a
// colon, keep it as given.
func TestBulgarianLegalNamesTakeTheArticle(t *testing.T) {
	o, err := office.DemoNamed("bg")
	if err != nil {
		t.Fatal(err)
	}
	s := e2e.Start(t, e2e.Options{Office: o})
	for _, c := range []struct{ path, want, not string }{
		{"/privacy?lang=bg", "Можете да подадете жалба до Комисията за защита на личните данни, kzld@cpdp.bg.", "до Комисия "},
		{"/accessibility?lang=bg", "можете да се обърнете към Министерството на електронното управление, egov.government.bg.", "към Министерство "},
		{"/privacy?lang=en", "You may complain to Комисия за защита на личните данни, kzld@cpdp.bg.", "Комисията"},
		{"/accessibility?lang=ru", "обратиться: Министерство на електронното управление", "Министерството"},
	} {
		code, body := getPage(t, s.URL+c.path)
		if code != 200 || !strings.Contains(body, c.want) || strings.Contains(body, c.not) {
			t.Errorf("%s: %d, want %q and not %q", c.path, code, c.want, c.not)
		}
	}
}

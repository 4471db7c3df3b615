package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/office"
	"langelis/queue"
)

// layoutCheck measures the display as it stands and lists what a person
// would see wrong: two blocks overlapping, anything off the screen, text
// cut (wider or taller than its box), a recent call cut by its box, a
// banner lower than a recent call's row.
const layoutCheck = `(() => {
	const bad = [];
	const r = (el) => el.getBoundingClientRect();
	const shown = (el) => !el.hidden && el.offsetParent !== null && r(el).height > 0;
	const name = (el) => el.id ? "#" + el.id : el.tagName.toLowerCase() + (el.dataset.number ? "[" + el.dataset.number + "]" : el.dataset.service ? "[" + el.dataset.service + "]" : "");
	const blocks = ["header", "#now", "#banner", "footer", "#office", "#when"].map((s) => document.querySelector(s)).filter(shown)
		.concat([...document.querySelectorAll("#recent li, #waiting li")].filter(shown));
	const over = (a, b) => { const x = r(a), y = r(b); return x.left < y.right - 1 && y.left < x.right - 1 && x.top < y.bottom - 1 && y.top < x.bottom - 1; };
	for (let i = 0; i < blocks.length; i++) for (let j = i + 1; j < blocks.length; j++) {
		const a = blocks[i], b = blocks[j];
		if (a.contains(b) || b.contains(a)) continue;
		if (over(a, b)) bad.push(name(a) + " overlaps " + name(b));
	}
	for (const el of blocks.concat([document.getElementById("call")]).filter(shown)) {
		const x = r(el);
		if (x.left < -1 || x.top < -1 || x.right > innerWidth + 1 || x.bottom > innerHeight + 1) bad.push(name(el) + " is off the screen");
	}
	const box = r(document.getElementById("recent-box"));
	for (const li of [...document.querySelectorAll("#recent li")].filter(shown)) {
		if (r(li).bottom > box.bottom + 1) bad.push(name(li) + " is cut at the bottom");
	}
	// Text wider than its box is cut (or spills over its neighbour); a
	// word broken in two is as bad for a reader at ten metres.
	const texts = [...document.querySelectorAll("#office, #recent li, #waiting .name span, #banner p, #call, #time, #date")].filter(shown);
	for (const el of texts) {
		if (el.scrollWidth > el.clientWidth + 1) bad.push(name(el) + " text is cut: " + el.textContent.trim());
		const words = document.createRange();
		for (const node of [...el.childNodes].filter((n) => n.nodeType === 3)) {
			for (const m of node.textContent.matchAll(/\S+/g)) {
				words.setStart(node, m.index); words.setEnd(node, m.index + m[0].length);
				const lines = new Set([...words.getClientRects()].map((q) => Math.round(q.top)));
				if (lines.size > 1) bad.push(name(el) + ": the word " + m[0] + " is broken over two lines");
			}
		}
	}
	const row = document.querySelector("#recent li:not([hidden])");
	const banner = document.getElementById("banner");
	if (shown(banner) && row && r(banner).height + 1 < r(row).height) bad.push("the banner (" + r(banner).height + " px) is lower than a recent call (" + r(row).height + " px)");
	if (!row) bad.push("no recent call is shown");
	return bad;
})()`

// displayHall is the demo office with a desk 12, so that the widest call
// (a four-digit number at a two-digit desk) is on the screen.
func displayHall(langs ...string) *queue.Office {
	o := office.Demo()
	o.Desks = append(o.Desks, queue.DeskDef{Number: 12, Services: []string{"A", "B", "C", "D"}})
	if len(langs) > 0 {
		o.Languages, o.SecondLanguage = langs, ""
	}
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}

// fillHall issues n A tickets, opens desks 2, 5 and 12 and calls the last
// eight numbers in turn, so the recent list holds the longest numbers.
func fillHall(t *testing.T, s *e2e.Server, n int) []string {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if _, err := s.Engine.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "kiosk"}); err != nil {
			t.Fatal(err)
		}
	}
	tokens := map[int]string{}
	for _, d := range []int{2, 5, 12} {
		name := fmt.Sprintf("clerk%d", d)
		s.AddUser(name, queue.RoleClerk)
		tokens[d] = s.Login(name)
		if code := s.JSON("POST", fmt.Sprintf("/api/v1/desks/%d/open", d), tokens[d], nil, nil); code != 200 {
			t.Fatalf("open desk %d: %d", d, code)
		}
	}
	var called []string
	for i := 0; i < 8; i++ {
		d := []int{12, 2, 5}[i%3]
		number := fmt.Sprintf("A%03d", n-7+i)
		if i >= 3 {
			s.JSON("POST", fmt.Sprintf("/api/v1/desks/%d/start", d), tokens[d], nil, nil)
			s.JSON("POST", fmt.Sprintf("/api/v1/desks/%d/finish", d), tokens[d], nil, nil)
		}
		if code := s.JSON("POST", fmt.Sprintf("/api/v1/desks/%d/call", d), tokens[d], map[string]string{"number": number}, nil); code != 200 {
			t.Fatalf("desk %d calls %s: %d", d, number, code)
		}
		called = append(called, number)
	}
	return called
}

// On the three hall screens, with the end-of-day banner up and four-digit
// numbers called to a two-digit desk, nothing overlaps, nothing is cut or
// off the screen, the banner is at least a recent call's row high, and the
// office name and every service name (in both languages) show whole.
func TestDisplayLayoutAtEverySize(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: displayHall(), At: "19:30"})
	called := fillHall(t, s, 1004)
	// The hall hears a four-digit number as a number, not digit by digit.
	var said struct{ Items []struct{ Lang, Text string } }
	s.JSON("GET", "/api/v1/announce?number=A1004&desk=12", "", nil, &said)
	if len(said.Items) == 0 || said.Items[0].Text != "Bilietas A tūkstantis keturi, langelis dvylika." {
		t.Errorf("A1004 at desk 12 is announced as %+v", said.Items)
	}
	for _, size := range []struct{ w, h int }{{1920, 1080}, {1280, 1024}, {1080, 1920}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ctx := e2e.Browser(t, size.w, size.h)
			if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(size.w), int64(size.h)), chromedp.Navigate(s.URL+"/display")); err != nil {
				t.Fatal(err)
			}
			waitText(t, ctx, "#now-number", called[len(called)-1])
			waitJS(t, ctx, `!document.getElementById("banner").hidden`)
			waitJS(t, ctx, `document.fonts.status === "loaded"`)
			time.Sleep(300 * time.Millisecond) // the layout settles after the fonts
			var bad []string
			if err := chromedp.Run(ctx, chromedp.Evaluate(layoutCheck, &bad)); err != nil {
				t.Fatal(err)
			}
			e2e.Screenshot(t, ctx, fmt.Sprintf("display-%dx%d-banner", size.w, size.h))
			e2e.Axe(t, ctx, fmt.Sprintf("display %dx%d with the banner", size.w, size.h))
			if len(bad) > 0 {
				t.Errorf("at %dx%d:\n%s", size.w, size.h, strings.Join(bad, "\n"))
			}
			var body string
			chromedp.Run(ctx, chromedp.Text("footer", &body, chromedp.ByQuery))
			for _, want := range []string{"Gyvenamosios vietos deklaravimas", "Declaration of residence", "Bendrieji klausimai / konsultacijos", "General questions / consultations"} {
				if !strings.Contains(body, want) {
					t.Errorf("the waiting line lacks %q: %q", want, body)
				}
			}
			if got := recent(t, ctx); len(got) == 0 || got[0] != called[len(called)-2] {
				t.Errorf("recent calls %v; want %s first", got, called[len(called)-2])
			}
		})
	}
}

// An office whose first language is not Lithuanian: the display shows
// its labels in that language and Lithuanian second, laid out as well.
func TestDisplayInTheOfficesLanguages(t *testing.T) {
	for _, lang := range []string{"en", "ru", "pl", "uk"} {
		t.Run(lang, func(t *testing.T) {
			s := e2e.Start(t, e2e.Options{Office: displayHall(lang, "lt"), At: "19:30"})
			fillHall(t, s, 12)
			ctx := e2e.Browser(t, 1920, 1080)
			if err := chromedp.Run(ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(s.URL+"/display")); err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, `!document.getElementById("banner").hidden`)
			waitJS(t, ctx, `document.fonts.status === "loaded"`)
			var bad []string
			var label, first, htmlLang string
			if err := chromedp.Run(ctx, chromedp.Evaluate(layoutCheck, &bad),
				chromedp.Text("#now-label [data-i18n]", &label, chromedp.ByQuery),
				chromedp.Text("#banner p:first-child", &first, chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.lang`, &htmlLang)); err != nil {
				t.Fatal(err)
			}
			e2e.Screenshot(t, ctx, "display-1920x1080-"+lang)
			if len(bad) > 0 {
				t.Errorf("%s:\n%s", lang, strings.Join(bad, "\n"))
			}
			if htmlLang != lang || label == "" || label == "Dabar kviečiamas" {
				t.Errorf("%s office: page lang %q, label %q", lang, htmlLang, label)
			}
			if strings.Contains(first, "Darbo diena") {
				t.Errorf("%s office: the banner's first line is Lithuanian: %q", lang, first)
			}
			e2e.Axe(t, ctx, "display in "+lang)
			// The screen above desk 2, calling: the office's first language, then Lithuanian.
			var state, second string
			if err := chromedp.Run(ctx, chromedp.EmulateViewport(800, 480), chromedp.Navigate(s.URL+"/display/desk/2"),
				chromedp.Poll(`document.getElementById("number").textContent !== ""`, nil, chromedp.WithPollingTimeout(10*time.Second)),
				chromedp.Text("#state-lt", &state, chromedp.ByID), chromedp.Text("#state-2", &second, chromedp.ByID)); err != nil {
				t.Fatal(err)
			}
			e2e.Screenshot(t, ctx, "counter-800x480-"+lang)
			e2e.Axe(t, ctx, "counter in "+lang)
			if state == "Kviečiamas" || second != "Kviečiamas" {
				t.Errorf("%s office: the counter says %q / %q", lang, state, second)
			}
		})
	}
}

// A call whose visitor did not come (a no-show), and the calls of a desk
// that has closed, leave the hall's recent list: nobody should go looking
// for them. A served call stays.
func TestDisplayDropsNoShowsAndClosedDesks(t *testing.T) {
	h := newHall(t, 8)
	ctx := e2e.Browser(t, 1920, 1080)
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(h.URL+"/display")); err != nil {
		t.Fatal(err)
	}
	c1 := h.call(1, true)
	c2 := h.call(2, true)
	c3 := h.call(3, true)
	c4 := h.call(1, false) // desk 1 serves c1, then calls c4
	waitText(t, ctx, "#now-number", c4)
	if got := strings.Join(recent(t, ctx), " "); got != strings.Join([]string{c3, c2, c1}, " ") {
		t.Fatalf("recent %q, want %s %s %s", got, c3, c2, c1)
	}
	h.act(2, "no-show")
	waitJS(t, ctx, fmt.Sprintf(`![...document.querySelectorAll("#recent li")].some((li) => li.dataset.number === %q)`, c2))
	h.act(3, "close")
	waitJS(t, ctx, fmt.Sprintf(`![...document.querySelectorAll("#recent li")].some((li) => li.dataset.number === %q)`, c3))
	if got := strings.Join(recent(t, ctx), " "); got != c1 {
		t.Fatalf("after the no-show of %s and desk 3 closing, recent is %q; want %s", c2, got, c1)
	}
	// A display that comes afresh (a reload) sees the same.
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible("#now-number", chromedp.ByID))
	waitText(t, ctx, "#now-number", c4)
	if got := strings.Join(recent(t, ctx), " "); got != c1 {
		t.Fatalf("after a reload recent is %q; want %s", got, c1)
	}
	e2e.Screenshot(t, ctx, "display-after-no-show-and-close")
}

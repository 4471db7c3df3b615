package e2e_test

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// hall is a test office with clerks at desks 1–3 and waiting tickets.
type hall struct {
	*e2e.Server
	t      testing.TB
	tokens map[int]string
}

func newHall(t *testing.T, tickets int) *hall {
	s := e2e.Start(t, e2e.Options{})
	h := &hall{Server: s, t: t, tokens: map[int]string{}}
	for desk := 1; desk <= 3; desk++ {
		name := fmt.Sprintf("clerk%d", desk)
		s.AddUser(name, queue.RoleClerk)
		h.tokens[desk] = s.Login(name)
		h.act(desk, "open")
	}
	for i := 0; i < tickets; i++ {
		h.issue([]string{"A", "D"}[i%2])
	}
	return h
}

func (h *hall) issue(service string) string {
	var r struct{ Number string }
	if code := h.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": service}, &r); code != 201 {
		h.t.Fatalf("issue %s: %d", service, code)
	}
	return r.Number
}

// act runs a desk action as the desk's clerk and returns the ticket number.
func (h *hall) act(desk int, action string) string {
	var r struct {
		Ticket *struct{ Number string }
		Error  struct{ Message string }
	}
	if code := h.JSON("POST", fmt.Sprintf("/api/v1/desks/%d/%s", desk, action), h.tokens[desk], nil, &r); code != 200 {
		h.t.Fatalf("desk %d %s: %d %s", desk, action, code, r.Error.Message)
	}
	if r.Ticket == nil {
		return ""
	}
	return r.Ticket.Number
}

// call starts the desk's called ticket, if any, and calls the next one.
func (h *hall) call(desk int, started bool) string {
	if !started {
		h.act(desk, "start")
	}
	return h.act(desk, "next")
}

func evalAsync(expr string, out any) chromedp.Action {
	return chromedp.Evaluate(expr, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })
}

// The display shows a clerk's call at once, keeps the previous one in the
// recent list, highlights a recall again, announces calls one at a time in
// call order, and comes back by itself after the server restarts.
func TestDisplayShowsCalls(t *testing.T) {
	h := newHall(t, 40)
	ctx := e2e.Browser(t, 1920, 1080)
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1920, 1080), // the hall screen, without the window's frame
		chromedp.Navigate(h.URL+"/display"),
		evalAsync(`window.display.ready.then(() => true)`, nil),
		// A fake speaker records what the hall would hear and whether two
		// announcements ever overlapped.
		chromedp.Evaluate(`window.said = []; window.overlap = false; window.speaking = 0;
			window.display.announcer.speaker = { async announce(c) {
				if (window.speaking++) window.overlap = true;
				window.said.push(c.number + ">" + c.desk);
				await new Promise((r) => setTimeout(r, 40));
				window.speaking--;
			} }; true`, nil),
	); err != nil {
		t.Fatal(err)
	}
	var none string
	chromedp.Run(ctx, chromedp.Text("#none [data-i18n]", &none, chromedp.ByQuery))
	if none != "Kol kas niekas nekviestas" {
		t.Errorf("an empty hall shows %q", none)
	}

	first := h.call(1, true)
	waitText(t, ctx, "#now-number", first)
	var latencies []time.Duration
	var heard []string
	heard = append(heard, first+">1")
	prev := first
	for i := 0; i < 8; i++ {
		desk := 2 - i%2 // desk 2 has nothing to start on its first call
		lat, number := h.measuredCall(t, ctx, desk, i == 0)
		latencies = append(latencies, lat)
		heard = append(heard, fmt.Sprintf("%s>%d", number, desk))
		if got := recent(t, ctx); len(got) == 0 || got[0] != prev {
			t.Fatalf("after %s the recent list is %v; want %s first", number, got, prev)
		}
		prev = number
	}
	slices.Sort(latencies)
	t.Logf("API reply → page shows the call, %d calls: p50 %v, p90 %v, max %v", len(latencies),
		latencies[len(latencies)/2], latencies[len(latencies)*9/10], latencies[len(latencies)-1])
	if got := recent(t, ctx); len(got) < 6 {
		var boxes string
		chromedp.Run(ctx, chromedp.Evaluate(`["header","#now","#recent-box","#recent","footer"].map((s) => s + " " + JSON.stringify(document.querySelector(s).getBoundingClientRect())).join("\n")`, &boxes))
		e2e.Screenshot(t, ctx, "display-too-few")
		t.Errorf("recent list %v: want at least the six calls before the newest\n%s", got, boxes)
	}
	// Readable from ten metres: the digits themselves (not the type size)
	// are at least a tenth of the screen high, and nothing spills off it.
	var sizes struct{ Now, Recent, Screen, Bottom float64 }
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => {
		const digits = (el) => { const cs = getComputedStyle(el), c = document.createElement("canvas").getContext("2d");
			c.font = cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily; return c.measureText("0123456789").actualBoundingBoxAscent; };
		const last = [...document.querySelectorAll("#recent li, footer")].map((e) => e.getBoundingClientRect().bottom);
		return { Now: digits(document.getElementById("now-number")), Recent: digits(document.querySelector("#recent li .number")),
			Screen: innerHeight, Bottom: Math.max(...last) };
	})()`, &sizes)); err != nil {
		t.Fatal(err)
	}
	t.Logf("digit height: newest %.0f px, recent %.0f px, on a %.0f px high screen", sizes.Now, sizes.Recent, sizes.Screen)
	if sizes.Recent < sizes.Screen/10 || sizes.Now < 1.4*sizes.Recent || sizes.Bottom > sizes.Screen {
		t.Errorf("digits %.0f px (newest) and %.0f px (recent), content to %.0f px, on a %.0f px screen", sizes.Now, sizes.Recent, sizes.Bottom, sizes.Screen)
	}
	var text string
	chromedp.Run(ctx, chromedp.Text("body", &text, chromedp.ByQuery))
	for _, private := range []string{"Name clerk", "child", "pregnant", "disability", "elderly"} {
		if strings.Contains(text, private) {
			t.Errorf("the hall display shows %q", private)
		}
	}

	// A recall of the desk-1 ticket makes it the newest call again and
	// highlights it.
	held := h.act(1, "recall")
	heard = append(heard, held+">1")
	waitText(t, ctx, "#now-number", held)
	waitJS(t, ctx, `document.getElementById("call").classList.contains("fresh")`)

	// Calls in quick succession from three desks, then a recall: the hall
	// hears them in call order, one at a time.
	h.act(1, "start")
	h.act(2, "start")
	for _, c := range []struct {
		desk   int
		action string
	}{{1, "next"}, {2, "next"}, {3, "next"}, {3, "recall"}} {
		heard = append(heard, fmt.Sprintf("%s>%d", h.act(c.desk, c.action), c.desk))
	}
	var said []string
	var overlap bool
	if err := chromedp.Run(ctx,
		evalAsync(`(async () => { while (window.said.length < `+fmt.Sprint(len(heard))+`) await new Promise((r) => setTimeout(r, 20));
			await window.display.announcer.idle(); return window.said; })()`, &said),
		chromedp.Evaluate(`window.overlap`, &overlap)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(said, heard) || overlap {
		t.Fatalf("announced %v (overlap %v); want %v in order", said, overlap, heard)
	}
	e2e.Screenshot(t, ctx, "display")

	// The server goes away: the page keeps what it shows, marks that it is
	// reconnecting, and on return shows the calls made meanwhile.
	shown := nowText(t, ctx, "#now-number")
	h.Stop()
	waitJS(t, ctx, `!document.getElementById("status").hidden`)
	if got := nowText(t, ctx, "#now-number"); got != shown {
		t.Fatalf("offline the display lost its call: %q, was %q", got, shown)
	}
	e2e.Screenshot(t, ctx, "display-offline")
	h.StartAgain()
	for desk := 1; desk <= 3; desk++ {
		h.tokens[desk] = h.Login(fmt.Sprintf("clerk%d", desk))
	}
	after := h.call(2, false)
	waitText(t, ctx, "#now-number", after)
	waitJS(t, ctx, `document.getElementById("status").hidden`)
	heard = append(heard, after+">2")
	if err := chromedp.Run(ctx, evalAsync(`(async () => { for (let i = 0; i < 200 && window.said.length < `+
		fmt.Sprint(len(heard))+`; i++) await new Promise((r) => setTimeout(r, 20)); return window.said; })()`, &said)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(said, heard) {
		t.Fatalf("after the restart the hall heard %v; want %v", said, heard)
	}
}

// measuredCall makes a call at desk and returns the time from the API's
// reply to the page showing it as the newest call.
func (h *hall) measuredCall(t *testing.T, ctx context.Context, desk int, started bool) (time.Duration, string) {
	t.Helper()
	if !started {
		h.act(desk, "start")
	}
	// The page notes the moment the newest call changes; the ticket the
	// desk will get is not known before the reply, so any change counts.
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.changedAt = null;
		window.watch?.disconnect();
		window.watch = new MutationObserver(() => { window.changedAt ??= performance.timeOrigin + performance.now(); });
		window.watch.observe(document.getElementById("now-number"), { childList: true, characterData: true, subtree: true }); true`, nil)); err != nil {
		t.Fatal(err)
	}
	number := h.act(desk, "next")
	replied := time.Now()
	waitText(t, ctx, "#now-number", number)
	var at float64
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.changedAt`, &at)); err != nil {
		t.Fatal(err)
	}
	lat := time.UnixMicro(int64(at * 1000)).Sub(replied)
	return max(lat, 0), number // the page may change before the reply is read: that is 0
}

// waitJS waits until expr is true in the page.
func waitJS(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Poll(expr, nil, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", expr, err)
	}
}

// waitText waits until the element's text is want.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	var got string
	err := chromedp.Run(ctx, chromedp.Poll(fmt.Sprintf(`document.querySelector(%q)?.textContent === %q`, sel, want), nil,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		chromedp.Run(ctx, chromedp.Text(sel, &got, chromedp.ByQuery, chromedp.AtLeast(0)))
		t.Fatalf("%s shows %q, want %q: %v", sel, got, want, err)
	}
}

// recent is the page's list of recent calls, ticket numbers newest first.
func recent(t *testing.T, ctx context.Context) []string {
	t.Helper()
	var out []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("#recent li:not([hidden]) .number")].map((e) => e.textContent)`, &out)); err != nil {
		t.Fatal(err)
	}
	return out
}

// With the real speaker: a call is chimed and then spoken from the
// server's espeak-ng audio, Lithuanian then English; the test logs the
// time from the API reply to the chime starting.
func TestDisplayAnnouncesAloud(t *testing.T) {
	h := newHall(t, 4)
	ctx := e2e.Browser(t, 1920, 1080)
	var mode string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(h.URL+"/display"),
		evalAsync(`window.display.ready.then(() => window.display.speaker).then((s) => s.mode)`, &mode),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skipf("espeak-ng is not installed here; the page chose %q", mode)
	}
	if mode != "server" {
		t.Fatalf("the page announces with %q although the server has espeak-ng", mode)
	}
	number := h.act(1, "next")
	replied := time.Now()
	var played []struct {
		URL string
		At  float64
	}
	if err := chromedp.Run(ctx, evalAsync(`(async () => {
		const s = await window.display.speaker;
		for (let i = 0; i < 300 && s.played.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
		return s.played; })()`, &played)); err != nil {
		t.Fatal(err)
	}
	if len(played) != 3 || played[0].URL != "chime" ||
		!strings.Contains(played[1].URL, "number="+number) || !strings.Contains(played[1].URL, "lang=lt") ||
		!strings.Contains(played[2].URL, "lang=en") {
		t.Fatalf("the hall heard %+v; want the chime, then %s in lt, then in en", played, number)
	}
	t.Logf("API reply → chime starts: %v; → Lithuanian speech starts: %v",
		time.UnixMicro(int64(played[0].At*1000)).Sub(replied).Round(time.Millisecond),
		time.UnixMicro(int64(played[1].At*1000)).Sub(replied).Round(time.Millisecond))
}

// The page's announcement queue on its own, with a fake speaker whose
// announcements take varying time and one of which fails: every call is
// still announced, in order, one at a time.
func TestAnnouncerQueue(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 800, 600)
	var res struct {
		Said    []string
		Overlap bool
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/"), evalAsync(`(async () => {
		const { Announcer } = await import("/static/js/announcer.js");
		const said = []; let speaking = 0, overlap = false;
		const quiet = { warn() {} };
		const a = new Announcer({ async announce(c) {
			if (speaking++) overlap = true;
			said.push(c.number);
			await new Promise((r) => setTimeout(r, [30, 0, 10, 5][said.length % 4]));
			speaking--;
			if (c.number === "B002") throw new Error("the sound card is gone");
		} }, { log: quiet });
		for (const n of ["A001", "B002", "A003"]) a.say({ number: n, desk: 1 });
		await new Promise((r) => setTimeout(r, 5));
		a.say({ number: "A001", desk: 1 }); // a recall while the queue runs
		await a.idle();
		return { Said: said, Overlap: overlap };
	})()`, &res)); err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Said, " ") != "A001 B002 A003 A001" || res.Overlap {
		t.Fatalf("announced %v, overlap %v", res.Said, res.Overlap)
	}
}

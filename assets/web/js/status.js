// A visitor's own ticket (/t/TOKEN): number, status, place and estimate,
// and the desk once called, kept current over the websocket's ticket
// stream, which carries this ticket, the calls and the cutoff rather than
// the whole hall. The token goes to GET /api/v1/tickets/TOKEN and inside
// the websocket's first message, never into its URL; the page shows
// nothing about anyone else.
//
// Being called changes the whole screen and the page's title, and, when
// the phone lets the page (the visitor tapped "alert me": browsers allow
// sound and vibration only after a tap), vibrates and plays the chime;
// again on a recall. Near the end of the day the page says where this
// ticket stands (eod.js statusNotice: under the office's real rules, so a
// priority ticket is never shown a hall's "last ticket" that contradicts
// it) and, when it is unlikely today, offers to give up the place.
//
// Once served, the page asks the one question after service (five faces
// and an optional comment, feedbackask.js) until it is answered, and links
// to the complaints and suggestions form (/feedback).
import { load, t, apply, LANGS } from "./i18n.js";
import { Live } from "./live.js";
import { KIND, EVENT } from "./wire.js";
import { statusNotice, loadEod } from "./eod.js";
import { languageButtons, aheadText, estimateText, opening, officeLangs, unavailable } from "./takeflow.js";
import { ratingForm, postJSON } from "./feedbackask.js";

const VIBRATE = [400, 200, 400, 200, 400];
const REPEAT_MS = 10000; // a call not yet answered with "on my way" is told again this often
const REPEATS = 3;       // at most this many times

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());
let lang = null;
let office = null;
let ticket = null;
let cutoff = null;
let online = true;
let callSeen = null;  // the call (or recall) the visitor was last alerted to: callKey
let recalled = false; // the desk called this ticket again
let alerts = false;   // the visitor asked for sound and vibration (a tap: browsers allow them after one)
let coming = false;   // the visitor answered this call: on my way
let repeat = null;    // the timer that tells an unanswered call again
let rating = null;    // the question after service (feedbackask.js), built in main
const chime = new Audio("/static/sounds/chime.wav");
chime.preload = "auto";

/** callKey names a call: its last recall, else the call itself (a recall
 * leaves called_at as it was, so the visitor's wait stays true). */
const callKey = (tk) => tk.recalled_at || tk.called_at;

async function refresh() {
  try {
    const r = await fetch(`/api/v1/tickets/${encodeURIComponent(token)}`, { cache: "no-store" });
    const body = await r.json().catch(() => null);
    if (body?.error?.code === "not_found") { ticket = null; $("missing").hidden = false; $("ticket").hidden = true; return; }
    if (!r.ok || !body) return;
    update(body);
  } catch { /* the websocket reports the outage */ }
}

/** A new state of the ticket: alert the visitor to a call not heard yet
 * (the hall's call event usually comes first: see main). */
function update(tk) {
  // The day has ended for this ticket: when does the office open again?
  if (tk.status === "closed" && ticket?.status !== "closed") loadOffice().then(render);
  ticket = tk;
  if (!lang) lang = LANGS.includes(ticket.lang) ? ticket.lang : officeLangs(office, LANGS)[0];
  if (ticket.status !== "called") {
    recalled = false;
    stopRepeat();
  } else if (callKey(ticket) && callKey(ticket) !== callSeen) {
    // A later call of a ticket already called is a recall.
    called(callKey(ticket), !!callSeen);
  }
  render();
}

/** A call (or recall) of this ticket: the alert, told again until the
 * visitor answers "on my way". */
function called(at, again) {
  callSeen = at;
  recalled = recalled || again;
  coming = false;
  alertVisitor();
  stopRepeat();
  let left = REPEATS;
  repeat = setInterval(() => {
    if (coming || ticket?.status !== "called" || left-- <= 0) { stopRepeat(); return; }
    alertVisitor();
  }, REPEAT_MS);
}

function stopRepeat() { clearInterval(repeat); repeat = null; }

/** Vibration and the chime, when the page may: the browser allows both
 * only after the visitor has tapped the page. */
function alertVisitor() {
  if (!alerts) return;
  try { navigator.vibrate?.(VIBRATE); } catch { /* not a phone */ }
  chime.currentTime = 0;
  chime.play().catch(() => {});
}

async function loadOffice() {
  try {
    const r = await fetch("/api/v1/office", { cache: "no-store" });
    if (r.ok) office = await r.json();
  } catch { /* names fall back to the ticket's */ }
}

// The language a visitor chooses here is the one /take opens in next
// (take.js keeps it under the same key).
function setLang(l) {
  lang = l;
  try { localStorage.setItem("langelis.lang", l); } catch { /* private mode */ }
  render();
}

function render() {
  apply(document, lang || officeLangs(office, LANGS)[0]);
  languageButtons($("langs"), officeLangs(office, LANGS), lang, setLang);
  $("offline").hidden = online;
  $("offline").textContent = t(lang, "offline");
  if (!ticket) return;
  $("ticket").hidden = false;
  const st = ticket.status;
  renderCall();
  $("number").textContent = ticket.number;
  const s = office?.services.find((x) => x.letter === ticket.service);
  $("service").textContent = s ? (s.names[lang] || s.names[officeLangs(office, LANGS)[0]]) : ticket.service_name;
  $("status").textContent = t(lang, `status.${st}`, { desk: ticket.desk ?? "" });
  // Not served: not in success's colour; a no-show is a failure to see.
  const ended = st === "no_show" || st === "cancelled";
  $("status").classList.toggle("failed", st === "no_show");
  $("status").classList.toggle("over", st === "cancelled" || st === "closed" || st === "refused");
  // After a no-show or a given-up place: a new ticket, in this language.
  $("again").hidden = !ended;
  $("again").href = `/take?lang=${encodeURIComponent(lang)}`;
  // The printable ticket while it waits (once called, the screen is the
  // call's alone).
  $("pdf-box").hidden = st !== "waiting";
  $("pdf").href = ticket.pdf_url || `/api/v1/tickets/${encodeURIComponent(token)}/pdf`;
  const waiting = st === "waiting";
  $("ahead").textContent = waiting ? aheadText(lang, ticket.ahead) : "";
  $("estimate").textContent = waiting ? estimateText(lang, ticket, office) : "";
  // The day has ended: when the office opens again.
  const reopen = st === "closed" && office?.next_opening;
  $("reopen").hidden = !reopen;
  $("reopen").textContent = reopen ? t(lang, "status.reopen", { when: opening(office.next_opening, office, lang) }) : "";
  renderEod();
  renderRating();
  const canCancel = st === "waiting" || st === "called";
  // The end-of-day notice's own offer stands in for the button below.
  $("cancel").hidden = !canCancel || !$("confirm").hidden || !$("eod-cancel").hidden;
  if (!canCancel) $("confirm").hidden = true;
  $("alerts").hidden = !canCancel;
  $("alerts").textContent = t(lang, alerts ? "status.alerts.ready" : "status.alerts.on");
  $("alerts").setAttribute("aria-pressed", String(alerts));
}

/** Served: the one question after service, until it is answered (here
 * or on the desk's tablet: the ticket stream says so); then thanks. The
 * link to the complaints form is always there, with this ticket's number. */
function renderRating() {
  const done = ticket.status === "done";
  $("rate").hidden = !done || ticket.rated;
  $("rated").hidden = !done || !ticket.rated;
  $("rated").textContent = t(lang, "fb.rate.thanks");
  rating?.render(lang, t(lang, "fb.rate.question"));
  const q = new URLSearchParams({ ticket: ticket.number, lang });
  $("fb-link").href = `/feedback?${q}`;
  $("fb-link").textContent = t(lang, "fb.link");
}

/** Called: the screen, the title and the biggest words say where to go;
 * giving up the place becomes a small button below. */
function renderCall() {
  const called = ticket.status === "called";
  document.body.classList.toggle("called", called);
  $("call").hidden = !called;
  if (called) {
    $("call-title").textContent = t(lang, recalled ? "status.call.again" : "status.call.title");
    $("call-number").textContent = ticket.number;
    $("call-go").textContent = t(lang, "status.call.go", { desk: ticket.desk });
    $("coming").textContent = t(lang, coming ? "status.call.coming.said" : "status.call.coming");
    $("coming").setAttribute("aria-pressed", String(coming));
    document.title = t(lang, "status.call.page", { number: ticket.number, desk: ticket.desk });
  } else {
    document.title = `${ticket.number} · Langelis`;
  }
}

/** This visitor's end-of-day notice, under the office's real rules, with
 * the offer to give up the place when the ticket is unlikely today. */
function renderEod() {
  const n = office ? statusNotice(lang, ticket, cutoff, office) : null;
  $("eod").hidden = !n;
  $("eod-text").textContent = n?.text || "";
  $("eod-giveup").hidden = !n?.giveUp;
  $("eod-giveup").textContent = n?.giveUp || "";
  $("eod-cancel").hidden = !n?.button || !$("confirm").hidden;
  $("eod-cancel").textContent = n?.button || "";
}

function askCancel() {
  $("confirm").hidden = false;
  render();
  $("cancel-no").focus();
}

async function cancel() {
  try {
    const r = await fetch(`/api/v1/tickets/${encodeURIComponent(token)}/cancel`, { method: "POST" });
    if (r.ok) ticket = { ...ticket, ...(await r.json()) };
  } catch { /* shown as offline */ }
  $("confirm").hidden = true;
  render();
}

async function main() {
  await load(LANGS, ["kiosk", "visitor", "feedback"]);
  await loadEod(LANGS).catch(() => {});
  await loadOffice();
  rating = ratingForm($("rate"), {
    send: (face, comment) => postJSON(`/api/v1/tickets/${encodeURIComponent(token)}/rating`, { face, comment }, lang),
    done() { ticket = { ...ticket, rated: true }; render(); $("rated").focus?.(); },
  });
  $("cancel").addEventListener("click", askCancel);
  $("eod-cancel").addEventListener("click", askCancel);
  $("cancel-no").addEventListener("click", () => { $("confirm").hidden = true; render(); });
  $("cancel-yes").addEventListener("click", cancel);
  // The tap that lets the page alert: a short buzz and the chime, so the
  // visitor knows what a call will sound like.
  $("alerts").addEventListener("click", () => { alerts = true; alertVisitor(); render(); });
  $("coming").addEventListener("click", () => { coming = true; stopRepeat(); render(); });
  await refresh();
  render();
  if (!$("missing").hidden) return; // no such ticket: nothing to follow
  new Live({
    watch: token,
    onStatus(up) { online = up; render(); },
    // The ticket comes with the hall's cutoff, for the end-of-day notice.
    onSide(m) {
      if (m.type !== KIND.TICKET) return;
      cutoff = m.cutoff;
      update(m.ticket);
    },
    // The hall's call of this number is heard at once; the ticket's own
    // message with the same news follows within a moment.
    onEvent(ev) {
      const call = ev.type === EVENT.TICKET_CALLED || ev.type === EVENT.TICKET_RECALLED;
      if (call && ticket && ev.ticket?.number === ticket.number) {
        called(callKey(ev.ticket), ev.type === EVENT.TICKET_RECALLED);
        update({ ...ticket, status: "called", desk: ev.ticket.desk, called_at: ev.ticket.called_at, recalled_at: ev.ticket.recalled_at });
      }
    },
    onEnd() { refresh(); },
  }).start();
}

main().catch(() => unavailable("page"));

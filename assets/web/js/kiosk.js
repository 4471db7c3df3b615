// The touch kiosk (/kiosk?kiosk=NAME): start screen → service → priority
// group → near closing, the question whether to take a ticket the office
// will most likely not serve today (or the answer that it issues no more)
// → the ticket on screen while cmd/kiosk prints it, or its number and QR
// code when no station will print it.
//
// For a person at a touch screen the layout never moves under a finger:
// notices take reserved space, "offline" covers the screen, and buttons
// are drawn again only when their words change. Any screen, the start
// screen too, returns to the office's first language after IDLE_MS
// without a touch. The kiosk issues nothing while the server is
// unreachable, says so, and recovers by itself.
//
// Everything works by keys alone (kioskvoice.js): arrows or Tab move,
// Enter chooses, Escape goes back. V, or a finger held on the screen for
// two seconds, starts the voice mode, which says each screen and each
// option in the chosen language; the next visitor finds it off.
import { load, t, apply, LANGS } from "./i18n.js";
import { Live } from "./live.js";
import { KIND } from "./wire.js";
import { bannerText, kioskNotice, loadEod } from "./eod.js";
import {
  serviceButtons, priorityButtons, languageButtons, aheadText, estimateText, opening, officeLangs, issue, unavailable,
} from "./takeflow.js";
import { bookingScreen } from "./kioskbooking.js";
import { voiceMode } from "./kioskvoice.js";

const IDLE_MS = 20000;          // any screen goes back to the start after this without a touch
const VOICE_IDLE_MS = 60000;    // in voice mode: after the last key or the last word said (voice.keys says "a minute")
const VOICE_WARN_MS = 10000;    // in voice mode the visitor is warned this long before (voice.idle.warning says "ten seconds")
const QR_MS = 60000;            // a ticket shown by its QR code (nothing printed): time to photograph it
const FAILED_KEEP_MS = 120000;  // how long a print failure waits for its ticket's answer
const OFFLINE_GRACE_MS = 2000;  // a restart's moment of silence is not worth covering the screen
const LONG_NOTICE = 140;        // characters: a longer notice gets smaller type to fit its space

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const kiosk = params.get("kiosk") || "";
let lang = document.documentElement.lang; // the office's first language, which the server wrote into the page
let office = null;
let snap = null;
let online = false;
let screen = "start";
let service = null;
let group = null;
let asked = null;   // the preview the ask screen shows
let ticket = null;  // the ticket on screen
let busy = false;
let idle = null;
let idleWarn = null;
let offlineTimer = null;
let booking = null; // the "I have a booking" screen (kioskbooking.js)
let voice = null;   // the voice mode (kioskvoice.js)
// The kiosk station reports a failed print as soon as it has tried, which
// can be before this page has the answer to its own request for the
// ticket: failures are kept by number until the ticket they name is shown.
const failedPrints = new Map(); // ticket number → when its print_failed came

function langs() { return officeLangs(office, LANGS); }

function show(id) {
  for (const s of ["start", "priority", "ask", "result", "booking"]) $(s).hidden = s !== id;
  screen = id;
  activity();
  // The priority question starts on "No", the common answer.
  const first = (id === "priority" && $("groups").querySelector('[data-priority="none"]:not([disabled])')) ||
    $(id).querySelector("button:not([disabled]):not([hidden])");
  if (voice?.on) {
    voice.screen(id, first);
  } else if (first && id !== "start") first.focus();
}

/** A touch or a key: the idle time starts again. */
function activity() {
  clearTimeout(idle);
  clearTimeout(idleWarn);
  let ms = voice?.on ? VOICE_IDLE_MS : IDLE_MS;
  if (screen === "result" && ticket?.onScreen) ms = Math.max(QR_MS, ms);
  idle = setTimeout(idleOut, ms);
  // A visitor who cannot see the screen is told before it starts again,
  // and any key (the capture listener below) keeps it.
  if (voice?.on) idleWarn = setTimeout(() => { if (!busy) voice.idleWarning(); }, ms - VOICE_WARN_MS);
}

function idleOut() {
  if (busy) { activity(); return; } // the answer to a request is on its way
  reset();
}

/** Back to the start screen in the office's first language, ready for the
 * next visitor. */
function reset() {
  voice?.stop(); // a new visitor
  clearTimeout(idleWarn);
  ticket = null;
  service = null;
  group = null;
  asked = null;
  $("error").hidden = true;
  setLang(langs()[0]);
  show("start");
}

function setLang(l) {
  lang = l;
  apply(document, lang);
  languageButtons($("langs"), langs(), lang, (x) => { setLang(x); voice?.languageChosen(); });
  render();
}

function render() {
  $("offline-text").textContent = t(lang, "kiosk.offline");
  renderServices();
  priorityButtons($("groups"), lang, pickPriority);
  renderNotices();
  if (ticket) renderTicket();
  if (asked) renderAsk();
  setEnabled();
}

function renderServices() {
  if (!office) return;
  serviceButtons($("services"), office, lang, (letter) => { service = letter; show("priority"); });
  $("no-services").hidden = (office.services || []).length > 0;
  booking?.render(office);
}

/** The notices in their reserved space: a refusal, else the office being
 * closed, else the end-of-day banner. */
function renderNotices() {
  const closed = office && online && !office.open_now;
  let closedText = "";
  if (closed) {
    closedText = office.next_opening
      ? t(lang, "kiosk.closed", { when: opening(office.next_opening, office, lang) })
      : t(lang, "kiosk.closed.unknown");
  }
  const eodText = online && snap && office ? bannerText(lang, snap.cutoff, office) : null;
  const error = !$("error").hidden;
  notice($("closed"), !error && closedText);
  notice($("eod"), !error && !closedText && eodText);
  $("error").classList.toggle("long", $("error").textContent.length > LONG_NOTICE);
}

function notice(el, text) {
  el.hidden = !text;
  el.textContent = text || "";
  el.classList.toggle("long", !!text && text.length > LONG_NOTICE);
}

/** Shows a refusal; words is what the voice mode says of it (a server's
 * message is not a text the kiosk can have spoken: voice.error says the
 * reason is on the screen). */
function showError(text, words = { key: "voice.error" }) {
  $("error").voice = words;
  $("error").textContent = text;
  $("error").hidden = false;
  renderNotices();
}

function setEnabled() {
  const can = online && office && office.open_now && !busy;
  document.querySelectorAll("#services button, #groups button, #ask-take").forEach((b) => { b.disabled = !can; });
  // A booked visitor may check in before the office opens (the window
  // starts before the slot): only a lost server or a request on its way stops it.
  $("have-booking").disabled = !online || !office || busy;
}

/** The offline cover: after a moment's grace, so a server's restart does
 * not flash it; the buttons stop working at once. */
function renderOffline() {
  clearTimeout(offlineTimer);
  if (online) { $("offline").hidden = true; return; }
  offlineTimer = setTimeout(() => { $("offline").hidden = online; }, OFFLINE_GRACE_MS);
}

async function preview() {
  const q = new URLSearchParams({ service, priority: group });
  try {
    const r = await fetch(`/api/v1/tickets/preview?${q}`, { cache: "no-store" });
    return r.ok ? await r.json() : null;
  } catch {
    return null;
  }
}

/** A priority group (or No) was chosen: ask the server where such a ticket
 * would stand before issuing it. */
async function pickPriority(g) {
  if (busy || !online) return;
  group = g;
  busy = true;
  setEnabled();
  $("error").hidden = true;
  const pv = await preview();
  busy = false;
  if (!pv) {
    showError(t(lang, "kiosk.error"), { key: "kiosk.error" });
    show("start");
  } else if (pv.action === "closed") {
    await loadOffice();
    show("start");
  } else if (kioskNotice(lang, pv, office)) {
    asked = pv;
    renderAsk();
    show("ask");
  } else {
    await take();
  }
  render();
}

function renderAsk() {
  const n = kioskNotice(lang, asked, office);
  if (!n) return;
  $("ask").dataset.action = n.action;
  $("ask-title").textContent = n.title;
  $("ask-text").textContent = n.text;
  $("ask-take").hidden = !n.take;
  $("ask-take").textContent = n.take || "";
  $("ask-back").textContent = n.back;
  $("ask").voice = n.say; // what the voice mode says of it
}

async function take() {
  if (busy || !online) return;
  busy = true;
  setEnabled();
  const r = await issue({ service, priority: group, lang, kiosk, channel: "kiosk" });
  busy = false;
  asked = null;
  $("error").hidden = true;
  if (r.ok) {
    showTicket(r.body);
  } else if (r.status === 0 || r.status >= 502) {
    // Nothing was issued. A lost server also drops the websocket, which
    // then covers the screen until it is back.
    showError(t(lang, "kiosk.offline"), { key: "kiosk.offline" });
    show("start");
  } else if (r.body?.error?.code === "office_closed") {
    await loadOffice();
    show("start");
  } else if (r.body?.error?.code === "beyond_cutoff") {
    // Between the question and the answer the day moved on: say why
    // there is no ticket, as the preview now does.
    const pv = await preview();
    asked = pv && kioskNotice(lang, pv, office) ? pv : null;
    if (asked) { renderAsk(); show("ask"); } else { showError(r.body.error.message || t(lang, "kiosk.error"), { key: "voice.error" }); show("start"); }
  } else {
    // The server says why (a daily cap, the end of the day) in the
    // visitor's language: the request carried it.
    showError(r.body?.error?.message || t(lang, "kiosk.error"), { key: "voice.error" });
    show("start");
  }
  render();
}

/** Shows an issued ticket (taken here, or a booking's check-in). */
function showTicket(body) {
  ticket = body;
  ticket.printFailed = false;
  ticket.onScreen = ticket.printing !== true;
  if (ticket.onScreen) $("qr").src = `/api/v1/tickets/${encodeURIComponent(ticket.id)}/qr.svg`;
  renderTicket();
  show("result");
  if (failedPrints.has(ticket.number)) showPrintFailed();
}

function renderTicket() {
  $("number").textContent = ticket.number;
  const s = office.services.find((x) => x.letter === ticket.service);
  $("service").textContent = s ? (s.names[lang] || s.names[langs()[0]]) : ticket.service_name;
  $("ahead").textContent = aheadText(lang, ticket.ahead);
  $("estimate").textContent = estimateText(lang, ticket, office);
  const onScreen = ticket.onScreen || ticket.printFailed;
  $("print-status").textContent = t(lang, onScreen ? "kiosk.print_failed" : "kiosk.printing");
  $("print-status").classList.toggle("failed", onScreen);
  $("qr").hidden = !onScreen;
  $("qr").alt = onScreen ? t(lang, "ticket.scan") : "";
}

function onSide(msg) {
  // The office opened or closed by its clock: switch now, not at the next look.
  if (msg.type === KIND.HOURS) {
    if (office) {
      Object.assign(office, { now: msg.now, open_now: msg.open_now, next_opening: msg.next_opening ?? null, today: msg.today });
      render();
    }
    return;
  }
  if (msg.type === KIND.CUTOFF) {
    if (snap) { snap.cutoff = msg.cutoff; renderNotices(); }
    return;
  }
  if (msg.type !== KIND.PRINT_FAILED || msg.kiosk !== kiosk) return;
  const now = Date.now();
  for (const [number, at] of failedPrints) if (now - at > FAILED_KEEP_MS) failedPrints.delete(number);
  failedPrints.set(msg.number, now);
  if (ticket && msg.number === ticket.number) showPrintFailed();
}

/** The ticket on screen did not print: show its QR code, long enough to
 * photograph or scan. */
function showPrintFailed() {
  ticket.printFailed = true;
  ticket.onScreen = true;
  $("qr").src = `/api/v1/tickets/${encodeURIComponent(ticket.id)}/qr.svg`;
  renderTicket();
  activity();
  voice?.printFailed();
}

async function loadOffice() {
  try {
    const r = await fetch("/api/v1/office", { cache: "no-store" });
    if (!r.ok) throw new Error(String(r.status));
    office = await r.json();
  } catch {
    online = false;
  }
}

async function main() {
  await load(LANGS, ["kiosk", "priority", "visitor", "booking", "voice"]);
  await loadEod(LANGS).catch(() => {});
  $("back").addEventListener("click", () => show("start"));
  $("done").addEventListener("click", reset);
  $("ask-take").addEventListener("click", take);
  $("ask-back").addEventListener("click", () => { asked = null; show("start"); });
  booking = bookingScreen({
    lang: () => lang, kiosk, show, office: () => office, voice: () => (voice?.on ? voice : null),
    error(text, words = [{ key: "voice.booking.failed" }]) {
      if (!text) { $("error").hidden = true; renderNotices(); return; }
      showError(text, words[0]);
      if (voice?.on) voice.refused(words); // the refusal came on this screen: say it now
    },
    busy(on) { busy = on; setEnabled(); },
    ticket(body) { showTicket(body); render(); },
  });
  // Any touch, click or key, anywhere, is a person still there.
  for (const ev of ["pointerdown", "keydown"]) document.addEventListener(ev, activity, { capture: true });
  voice = voiceMode({
    lang: () => lang, langs, office: () => office, snap: () => snap,
    ticket: () => ticket, screen: () => screen, activity, code: () => booking.code(),
    back() {
      // From the ticket, Escape is "done" without ending the voice: the
      // visitor hears the start screen and may take another ticket.
      if (screen === "result") { ticket = null; show("start"); }
      else if (screen === "ask") $("ask-back").click();
      else if (screen === "booking") $("booking-back").click();
      else if (screen === "priority") show("start");
    },
  });
  await loadOffice();
  setLang(langs()[0]);
  show("start");
  // Until the first connection the buttons wait; a server unreachable
  // from the start is said so after the same grace as a lost one.
  renderOffline();
  new Live({
    async onStatus(up) {
      online = up;
      if (up) await loadOffice();
      renderOffline();
      render();
    },
    onSnapshot(s) { snap = s; if (office && office.open_now !== s.open) loadOffice().then(render); else renderNotices(); },
    // A new day, or a configuration change (a new service): the office again.
    onEvent(ev) { if (ev.type === "day.started" || (ev.type === "office.changed" && !ev.desk)) loadOffice().then(render); },
    onSide,
  }).start();
  // The server says when the office opens or closes (the hours message);
  // a look each minute as well keeps a kiosk right whatever it missed.
  setInterval(() => { if (online) loadOffice().then(render); }, 60000);
}

main().catch(() => unavailable("kiosk"));

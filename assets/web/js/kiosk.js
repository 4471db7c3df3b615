// The touch kiosk (/kiosk?kiosk=NAME): start screen → service → priority
// group → the ticket on screen while cmd/kiosk prints it. It issues nothing
// while the server is unreachable, says so, and recovers by itself.
import { load, t, apply, LANGS } from "./i18n.js";
import { Live } from "./live.js";
import { KIND } from "./wire.js";
import { bannerText, loadEod } from "./eod.js";
import { serviceButtons, priorityButtons, languageButtons, aheadText, estimateText, opening, issue, unavailable } from "./takeflow.js";

const RESULT_MS = 20000;       // the ticket stays on screen this long
const PRINT_FAILED_MS = 60000; // long enough to photograph the code
const IDLE_MS = 30000;         // an abandoned choice returns to the start
const FAILED_KEEP_MS = 120000; // how long a print failure waits for its ticket's answer

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const kiosk = params.get("kiosk") || "";
let lang = "lt";
let office = null;
let snap = null;
let online = false;
let service = null;
let ticket = null;   // the ticket on screen
let timer = null;
let busy = false;
// The kiosk station reports a failed print as soon as it has tried, which
// can be before this page has the answer to its own request for the
// ticket: failures are kept by number until the ticket they name is shown.
const failedPrints = new Map(); // ticket number → when its print_failed came

function show(id) {
  for (const s of ["start", "priority", "result"]) $(s).hidden = s !== id;
  clearTimeout(timer);
  if (id === "priority") timer = setTimeout(reset, IDLE_MS);
  const first = $(id).querySelector("button:not([disabled])");
  if (first && id !== "start") first.focus();
}

/** Back to the start screen in Lithuanian, ready for the next visitor. */
function reset() {
  ticket = null;
  service = null;
  $("error").hidden = true;
  setLang("lt");
  show("start");
}

function setLang(l) {
  lang = l;
  apply(document, lang);
  languageButtons($("langs"), LANGS, lang, (x) => { setLang(x); if (!$("priority").hidden) show("priority"); });
  render();
}

function render() {
  renderServices();
  priorityButtons($("groups"), lang, pickPriority);
  renderBanners();
  renderEod();
  if (ticket) renderTicket();
  setEnabled();
}

function renderServices() {
  if (!office) return;
  serviceButtons($("services"), office, lang, (letter) => { service = letter; show("priority"); });
  $("no-services").hidden = (office.services || []).length > 0;
}

function renderBanners() {
  $("offline").hidden = online;
  $("offline").textContent = t(lang, "kiosk.offline");
  const closed = office && online && !office.open_now;
  $("closed").hidden = !closed;
  if (closed) {
    $("closed").textContent = office.next_opening
      ? t(lang, "kiosk.closed", { when: opening(office.next_opening, office, lang) })
      : t(lang, "kiosk.closed.unknown");
  }
}

/** The spot for the end-of-day warning: the end-of-day work decides what
 * the kiosk says and does past the cutoff; this only shows its banner. */
function renderEod() {
  const text = online && snap && office ? bannerText(lang, snap.cutoff, office) : null;
  $("eod").hidden = !text;
  $("eod").textContent = text || "";
}

function setEnabled() {
  const can = online && office && office.open_now && !busy;
  document.querySelectorAll("#services button, #groups button").forEach((b) => { b.disabled = !can; });
}

async function pickPriority(group) {
  if (busy || !online) return;
  busy = true;
  setEnabled();
  const r = await issue({ service, priority: group, lang, kiosk, channel: "kiosk" });
  busy = false;
  $("error").hidden = true;
  if (r.ok) {
    ticket = r.body;
    ticket.printFailed = false;
    renderTicket();
    show("result");
    timer = setTimeout(reset, RESULT_MS);
    if (failedPrints.has(ticket.number)) showPrintFailed();
  } else if (r.status === 0 || r.status >= 502) {
    // Nothing was issued. A lost server also drops the websocket, which
    // then shows the offline notice until it is back.
    $("error").textContent = t(lang, "kiosk.offline");
    $("error").hidden = false;
    show("start");
  } else if (r.body?.error?.code === "office_closed") {
    await loadOffice();
    show("start");
  } else {
    // The server says why (a daily cap, the end of the day) in the
    // visitor's language: the request carried it.
    $("error").textContent = r.body?.error?.message || t(lang, "kiosk.error");
    $("error").hidden = false;
    show("start");
  }
  render();
}

function renderTicket() {
  $("number").textContent = ticket.number;
  const s = office.services.find((x) => x.letter === ticket.service);
  $("service").textContent = s ? (s.names[lang] || s.names.lt) : ticket.service_name;
  $("ahead").textContent = aheadText(lang, ticket.ahead);
  $("estimate").textContent = estimateText(lang, ticket.estimated_call_at, office);
  $("print-status").textContent = t(lang, ticket.printFailed ? "kiosk.print_failed" : "kiosk.printing");
  $("print-status").classList.toggle("failed", ticket.printFailed);
  $("qr").hidden = !ticket.printFailed;
  $("qr").alt = ticket.printFailed ? t(lang, "ticket.scan") : "";
}

function onSide(msg) {
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
  $("qr").src = `/api/v1/tickets/${encodeURIComponent(ticket.id)}/qr.svg`;
  renderTicket();
  clearTimeout(timer);
  timer = setTimeout(reset, PRINT_FAILED_MS);
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
  await load(LANGS, ["kiosk"]);
  await loadEod(LANGS).catch(() => {});
  $("back").addEventListener("click", () => show("start"));
  $("done").addEventListener("click", reset);
  // Any tap on the start screen counts as activity; nothing to wait for.
  await loadOffice();
  setLang("lt");
  show("start");
  new Live({
    async onStatus(up) {
      online = up;
      if (up) await loadOffice();
      render();
    },
    onSnapshot(s) { snap = s; if (office && office.open_now !== s.open) loadOffice().then(render); else renderEod(); },
    onEvent(ev) { if (ev.type === "day.started") loadOffice().then(render); },
    onSide,
  }).start();
  // The opening hours pass without any event: look again each minute.
  setInterval(() => { if (online) loadOffice().then(render); }, 60000);
}

main().catch(() => unavailable("kiosk"));

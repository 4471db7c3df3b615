// The hall display (/display): the newest call large, the recent calls
// below it so a missed call can still be found, the waiting counts, the
// office's clock and the end-of-day banner. Live over the websocket
// (live.js); every call and recall is chimed and spoken (announcer.js).
//
// For tests and for a person at the console, window.display holds the
// page's state: snap (the mirrored queue), announcer, and ready (a promise
// of the first snapshot).
import { Live, applyEvent } from "./live.js";
import { load, t, serviceName, useOffice } from "./i18n.js";
import { loadEod, bannerText } from "./eod.js";
import { opening } from "./takeflow.js";
import { KIND } from "./wire.js";
import { Announcer, HallSpeaker } from "./announcer.js";

const RECENT = 10;         // calls listed under the newest, at most (fitRecent shows those that fit)
const FRESH_MS = 10000;    // how long a new call stays highlighted
const CATCH_UP_MS = 120000; // calls missed while offline younger than this are still announced

const $ = (id) => document.getElementById(id);
// first and second are the office's first two languages: the display
// speaks and shows the first, and the second after it.
const state = { office: null, snap: null, skew: 0, lastCall: null, cutoff: null, first: document.documentElement.lang, second: null, shown: "" };
let freshTimer = null;

const soundButton = $("sound");
const speaker = HallSpeaker.create({ onBlocked: () => { soundButton.hidden = false; } })
  .then((s) => { document.body.dataset.sound = s.mode; return s; });
soundButton.onclick = async () => { soundButton.hidden = true; (await speaker).unlock(); };
const announcer = new Announcer({ announce: async (call) => (await speaker).announce(call) });

let readyResolve;
window.display = { state, announcer, speaker, ready: new Promise((r) => { readyResolve = r; }) };

async function main() {
  state.office = await (await fetch("/api/v1/office")).json();
  const { first, second } = useOffice(state.office);
  state.first = first;
  state.second = second;
  const langs = [first, second].filter(Boolean);
  await Promise.all([load(langs, ["display", "visitor"]), loadEod(langs)]);
  document.documentElement.lang = first;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(first, el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n2]")) {
    el.textContent = second ? t(second, el.dataset.i18n2) : "";
    if (second) el.lang = second;
  }
  soundButton.textContent = t(first, "display.sound");
  $("office").textContent = state.office.names?.[first] || state.office.name;
  addEventListener("resize", fitRecent);
  setInterval(tick, 1000);
  tick();
  new Live({
    onSnapshot: (snap) => {
      const first = !state.snap;
      state.snap = snap;
      state.cutoff = snap.cutoff || null;
      setClock(snap.now);
      if (!first) catchUp(snap);
      // Back after a gap in which the office opened or closed: its hours again.
      if (state.office.open_now !== snap.open) loadOffice().then(() => render());
      state.lastCall = latest(snap.calls[0], state.lastCall);
      render();
      document.body.dataset.seq = snap.seq;
      if (first) readyResolve();
    },
    onEvent: (ev) => {
      if (!state.snap) return;
      applyEvent(state.snap, ev);
      if (ev.at) setClock(ev.at);
      // A configuration change: the services listed come from the office.
      if (ev.type === "office.changed" && !ev.desk) {
        fetch("/api/v1/office", { cache: "no-cache" }).then((r) => r.json()).then((o) => { state.office = o; render(false); }).catch(() => {});
      }
      const call = ev.type === "ticket.called" || ev.type === "ticket.recalled";
      if (call) {
        state.lastCall = latest(state.snap.calls[0], state.lastCall);
        announcer.say({ number: ev.ticket.number, desk: ev.ticket.desk });
      }
      render(call);
      document.body.dataset.seq = ev.seq;
    },
    onSide: (msg) => {
      if (msg.type === KIND.CUTOFF) { state.cutoff = msg.cutoff ?? null; renderBanner(); }
      if (msg.type === KIND.HOURS) {
        Object.assign(state.office, { now: msg.now, open_now: msg.open_now, next_opening: msg.next_opening ?? null, today: msg.today });
        if (state.snap) render();
      }
    },
    onStatus: (up) => { $("status").hidden = up; document.body.dataset.connected = up ? "1" : "0"; },
  }).start();
}

/** After a resync by snapshot (the server could not replay what was
 * missed), announces the calls made meanwhile that are still recent. */
function catchUp(snap) {
  const since = state.lastCall ? Date.parse(state.lastCall.at) : 0;
  const now = Date.parse(snap.now);
  const missed = snap.calls.filter((c) => Date.parse(c.at) > since && now - Date.parse(c.at) < CATCH_UP_MS);
  for (const c of missed.reverse()) announcer.say({ number: c.number, desk: c.desk });
  if (missed.length) highlight();
}

/** The office's hours as GET /api/v1/office says them now; the last ones
 * stay when the server cannot be asked. */
async function loadOffice() {
  try {
    const r = await fetch("/api/v1/office", { cache: "no-store" });
    if (r.ok) state.office = await r.json();
  } catch { /* offline: the status mark says so */ }
}

/** With nobody called: "no calls yet" while the office is open, and when
 * it is closed (after the day end, before opening, in a break) when it
 * opens again, in both languages, instead of a day that seems not to have
 * begun. */
function renderNone() {
  const o = state.office;
  const closed = o && !o.open_now && o.next_opening;
  const text = (lang, el) => {
    el.textContent = !lang ? "" : closed
      ? t(lang, "status.reopen", { when: opening(o.next_opening, o, lang) })
      : t(lang, "display.none");
  };
  const [one, two] = $("none").querySelectorAll("span");
  text(state.first, one);
  text(state.second, two);
}

/** The later of two calls: the newest call ever shown, which a dropped
 * call (a no-show, a closed desk) must not move back in time, or a resync
 * would announce again what the hall has already heard. */
function latest(a, b) {
  if (!a || !b) return a || b;
  return Date.parse(a.at) >= Date.parse(b.at) ? a : b;
}

/** The display follows the office's clock (the server's), not the
 * machine's, which may be wrong on a kiosk PC. */
function setClock(iso) { state.skew = Date.parse(iso) - Date.now(); tick(); }

function tick() {
  const now = new Date(Date.now() + state.skew);
  const tz = state.office?.time_zone || "Europe/Vilnius";
  $("time").textContent = now.toLocaleTimeString(state.first, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz });
  $("date").textContent = now.toLocaleDateString(state.first, { weekday: "long", month: "long", day: "numeric", timeZone: tz });
  renderMessage();
}

/** Shows the manager's message, in the office's first two languages,
 * until its end time on the office's clock; the recent calls make room. */
function renderMessage() {
  const m = state.snap?.message;
  const now = Date.now() + state.skew;
  const texts = m && now < Date.parse(m.until)
    ? [state.first, state.second].filter((l) => l && m.text?.[l]).map((l) => [l, m.text[l]]) : [];
  const box = $("message");
  const key = JSON.stringify(texts);
  if (box.dataset.shown === key) return;
  box.dataset.shown = key;
  box.hidden = texts.length === 0;
  box.replaceChildren(...texts.map(([l, s]) => { const p = document.createElement("p"); p.lang = l; p.textContent = s; return p; }));
  fitRecent();
}

function render(fresh = false) {
  const snap = state.snap;
  // A recall lists the number again; show each number once, at its latest call.
  const seen = new Set();
  const calls = snap.calls.filter((c) => !seen.has(c.number) && seen.add(c.number));
  const [newest, ...rest] = calls;
  // Only a new call is highlighted: when the newest goes away (a no-show,
  // a closed desk), the one shown in its place is not news.
  const shown = newest ? `${newest.number}>${newest.desk}>${newest.at}` : "";
  if (!fresh && shown !== state.shown) $("call").classList.remove("fresh");
  state.shown = shown;
  $("call").classList.toggle("empty", !newest);
  $("none").hidden = !!newest;
  if (!newest) renderNone();
  $("now-number").textContent = newest ? newest.number : "";
  $("now-desk").textContent = newest ? newest.desk : "";
  $("call").setAttribute("aria-label", newest ? `${newest.number}, ${t(state.first, "display.desk")} ${newest.desk}` : "");
  const list = $("recent");
  list.replaceChildren(...rest.slice(0, RECENT).map((c) => {
    const li = document.createElement("li");
    li.dataset.number = c.number;
    const n = document.createElement("span"); n.className = "number"; n.textContent = c.number;
    const d = document.createElement("span"); d.className = "desk"; d.textContent = c.desk;
    li.append(n, d);
    return li;
  }));
  if (fresh) highlight();
  renderWaiting();
  renderBanner();
  renderMessage();
}

/** Narrows el's type (its --fit) just enough that none of items is wider
 * than its box (or than within, for an element that sizes to its text). */
function fitWidth(el, items, within) {
  el.style.setProperty("--fit", "1");
  let fit = 1;
  for (const it of items) {
    const room = within ? within.clientWidth * 0.8 : it.clientWidth;
    if (it.scrollWidth > room && it.scrollWidth > 0) fit = Math.min(fit, room / it.scrollWidth);
  }
  if (fit < 1) el.style.setProperty("--fit", String(Math.floor(fit * 100) / 100));
}

/** Shows the recent calls that fit whole in their box and hides the rest,
 * so that a row is never cut, whatever the screen and whether the banner
 * and a long waiting line take room. */
function fitRecent() {
  const box = $("recent-box");
  const items = [...$("recent").children];
  for (const li of items) li.hidden = false;
  fitWidth($("recent"), items);
  fitWidth($("call"), [$("call")], $("now"));
  const bottom = box.getBoundingClientRect().bottom;
  for (const li of items) li.hidden = li.getBoundingClientRect().bottom > bottom + 0.5;
}

/** Highlights the newest call again, restarting the animation. */
function highlight() {
  const el = $("call");
  el.classList.remove("fresh");
  void el.offsetWidth; // restart the CSS animation on a recall
  el.classList.add("fresh");
  clearTimeout(freshTimer);
  freshTimer = setTimeout(() => el.classList.remove("fresh"), FRESH_MS);
}

function renderWaiting() {
  const ul = $("waiting");
  ul.replaceChildren(...state.office.services.map((s) => {
    const li = document.createElement("li");
    li.dataset.service = s.letter;
    const l = document.createElement("span"); l.className = "letter"; l.textContent = s.letter;
    const c = document.createElement("span"); c.className = "count"; c.textContent = state.snap.waiting[s.letter] ?? 0;
    // The name whole, in the first language and, when it differs, the second.
    const n = document.createElement("span"); n.className = "name";
    const n1 = document.createElement("span"); n1.textContent = serviceName(state.office, s.letter, state.first);
    n.append(n1);
    const other = state.second && s.names[state.second];
    if (other && other !== n1.textContent) {
      const n2 = document.createElement("span"); n2.className = "second"; n2.lang = state.second; n2.textContent = other;
      n.append(n2);
    }
    li.append(l, c, n);
    return li;
  }));
}

function renderBanner() {
  const langs = [state.first, state.second].filter(Boolean);
  const texts = langs.map((l) => [l, bannerText(l, state.cutoff, state.office)]).filter(([, s]) => s);
  const b = $("banner");
  b.hidden = texts.length === 0;
  b.replaceChildren(...texts.map(([l, s]) => { const p = document.createElement("p"); p.lang = l; p.textContent = s; return p; }));
  fitRecent();
}

main().catch((e) => { console.error("display:", e); setTimeout(() => location.reload(), 5000); });

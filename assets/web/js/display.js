// The hall display (/display): the newest call large, the recent calls
// below it so a missed call can still be found, the waiting counts, the
// office's clock and the end-of-day banner. Live over the websocket
// (live.js); every call and recall is chimed and spoken (announcer.js).
//
// For tests and for a person at the console, window.display holds the
// page's state: snap (the mirrored queue), announcer, and ready (a promise
// of the first snapshot).
import { Live, applyEvent } from "./live.js";
import { load, t, serviceName } from "./i18n.js";
import { loadEod, bannerText } from "./eod.js";
import { Announcer, HallSpeaker } from "./announcer.js";

const RECENT = 6;          // calls listed under the newest
const FRESH_MS = 10000;    // how long a new call stays highlighted
const CATCH_UP_MS = 120000; // calls missed while offline younger than this are still announced

const $ = (id) => document.getElementById(id);
const state = { office: null, snap: null, skew: 0, lastCall: null, cutoff: null, second: null };
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
  const second = state.office.second_language;
  state.second = second && second !== "lt" ? second : null;
  const langs = state.second ? ["lt", state.second] : ["lt"];
  await Promise.all([load(langs, ["display"]), loadEod(langs)]);
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t("lt", el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n2]")) el.textContent = state.second ? t(state.second, el.dataset.i18n2) : "";
  soundButton.textContent = t("lt", "display.sound");
  $("office").textContent = state.office.names?.lt || state.office.name;
  setInterval(tick, 1000);
  tick();
  new Live({
    onSnapshot: (snap) => {
      const first = !state.snap;
      state.snap = snap;
      state.cutoff = snap.cutoff || null;
      setClock(snap.now);
      if (!first) catchUp(snap);
      state.lastCall = snap.calls[0] || state.lastCall;
      render();
      document.body.dataset.seq = snap.seq;
      if (first) readyResolve();
    },
    onEvent: (ev) => {
      if (!state.snap) return;
      applyEvent(state.snap, ev);
      if (ev.at) setClock(ev.at);
      const call = ev.type === "ticket.called" || ev.type === "ticket.recalled";
      if (call) {
        state.lastCall = state.snap.calls[0];
        announcer.say({ number: ev.ticket.number, desk: ev.ticket.desk });
      }
      render(call);
      document.body.dataset.seq = ev.seq;
    },
    onSide: (msg) => {
      if (msg.type === "cutoff") { state.cutoff = msg.cutoff ?? null; renderBanner(); }
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

/** The display follows the office's clock (the server's), not the
 * machine's, which may be wrong on a kiosk PC. */
function setClock(iso) { state.skew = Date.parse(iso) - Date.now(); tick(); }

function tick() {
  const now = new Date(Date.now() + state.skew);
  const tz = state.office?.time_zone || "Europe/Vilnius";
  $("time").textContent = now.toLocaleTimeString("lt-LT", { hour: "2-digit", minute: "2-digit", timeZone: tz });
  $("date").textContent = now.toLocaleDateString("lt-LT", { weekday: "long", month: "long", day: "numeric", timeZone: tz });
}

function render(fresh = false) {
  const snap = state.snap;
  // A recall lists the number again; show each number once, at its latest call.
  const seen = new Set();
  const calls = snap.calls.filter((c) => !seen.has(c.number) && seen.add(c.number));
  const [newest, ...rest] = calls;
  $("call").classList.toggle("empty", !newest);
  $("none").hidden = !!newest;
  $("now-number").textContent = newest ? newest.number : "";
  $("now-desk").textContent = newest ? newest.desk : "";
  $("call").setAttribute("aria-label", newest ? `${newest.number}, ${t("lt", "display.desk")} ${newest.desk}` : "");
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
    const n = document.createElement("span"); n.className = "name"; n.textContent = serviceName(state.office, s.letter, "lt");
    li.append(l, c, n);
    return li;
  }));
}

function renderBanner() {
  const texts = ["lt", state.second].filter(Boolean).map((l) => bannerText(l, state.cutoff, state.office)).filter(Boolean);
  const b = $("banner");
  b.hidden = texts.length === 0;
  b.replaceChildren(...texts.map((s) => { const p = document.createElement("p"); p.textContent = s; return p; }));
}

main().catch((e) => { console.error("display:", e); setTimeout(() => location.reload(), 5000); });

// /admin/live: the hall as it runs, for the manager. Every desk (its
// clerk, state, the ticket it holds and for how long, a pause and its
// reason), each service's line with the longest wait now and whether its
// calls are paused, the cutoff, the day's figures so far and who is
// connected. The manager closes a desk, pauses and resumes a service's
// calls, and puts a short message on the hall display until a time.
//
// The desks, lines and cutoff follow the staff stream of the websocket
// (live.js), as the desk page does; the figures and connections come from
// GET /api/v1/admin/live, read again after events (at most once a second)
// and every ten seconds.
import { adminNav, api } from "./adminnav.js";
import { load, t, apply, serviceName, duration } from "./i18n.js";
import { Live, applyEvent } from "./live.js";

const $ = (id) => document.getElementById(id);
const state = { lang: "lt", office: null, langs: [], snap: null, live: null, skew: 0, figuresDue: null };

function say(text, ok = false) {
  $("msg").textContent = text || "";
  $("msg").className = ok ? "ok" : "error";
}

/** The office's clock now: the server's, not this computer's. */
function officeNow() { return Date.now() + state.skew; }

function tz() { return state.office?.time_zone || "Europe/Vilnius"; }

function hhmm(iso) {
  return new Date(iso).toLocaleTimeString(state.lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz() });
}

/** How long since the office-clock time iso, in the manager's words. */
function since(iso) { return duration(state.lang, (officeNow() - Date.parse(iso)) / 1000); }

function td(text, cls) {
  const c = document.createElement("td");
  c.textContent = text;
  if (cls) c.className = cls;
  return c;
}

function button(text, label, cls, onclick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (cls) b.className = cls;
  b.setAttribute("aria-label", `${text} – ${label}`);
  b.addEventListener("click", onclick);
  return b;
}

// ---- the desks ----

function heldTicket(d) {
  if (!d.ticket_number) return null;
  return (state.snap.tickets || []).find((x) => x.number === d.ticket_number) || null;
}

function renderDesks() {
  const L = state.lang;
  const body = $("desks").tBodies[0];
  body.replaceChildren();
  for (const d of state.snap.desks || []) {
    const tr = document.createElement("tr");
    tr.dataset.desk = d.number;
    tr.className = d.status;
    const st = document.createElement("span");
    st.className = `state ${d.status}`;
    st.textContent = t(L, `live.desk.${d.status}`);
    const stc = document.createElement("td");
    stc.append(st);
    if (d.status === "paused") {
      const r = document.createElement("div");
      r.className = "note";
      r.textContent = t(L, "live.paused_since", { time: hhmm(d.since), reason: d.pause_reason || t(L, "live.no_reason") });
      stc.append(r);
    }
    const tk = heldTicket(d);
    const heldFrom = tk ? (tk.status === "serving" ? tk.started_at : tk.called_at) : null;
    const held = td(heldFrom ? `${t(L, `live.ticket.${tk.status}`)} ${since(heldFrom)}` : "", "held");
    if (heldFrom) { held.dataset.from = heldFrom; held.dataset.what = t(L, `live.ticket.${tk.status}`); }
    const acts = document.createElement("td");
    if (d.status !== "closed") {
      acts.append(button(t(L, "live.close"), t(L, "live.desk_n", { n: d.number }), "danger", () => closeDesk(d.number)));
    }
    tr.append(td(String(d.number), "num"), stc, td(d.status === "closed" ? "" : (d.clerk_name || d.clerk || "")),
      td(d.ticket_number || "", "num ticket"), held, acts);
    body.append(tr);
  }
}

/** The held times tick every second without a new event. */
function tickHeld() {
  for (const c of document.querySelectorAll("#desks td.held[data-from]")) {
    c.textContent = `${c.dataset.what} ${since(c.dataset.from)}`;
  }
  for (const c of document.querySelectorAll("#services td.longest[data-from]")) {
    c.textContent = since(c.dataset.from);
  }
  renderMessageNow();
}

async function closeDesk(n) {
  say("");
  try {
    await api("POST", `/api/v1/admin/desks/${n}/close`, {}, state.lang);
    say(t(state.lang, "live.closed_desk", { n }), true);
  } catch (e) {
    say(e.message);
  }
}

// ---- the services ----

function renderServices() {
  const L = state.lang;
  const body = $("services").tBodies[0];
  body.replaceChildren();
  const paused = new Map((state.snap.paused_services || []).map((p) => [p.service, p]));
  for (const s of state.office.services) {
    const tr = document.createElement("tr");
    tr.dataset.service = s.letter;
    const name = td(`${s.letter} · ${serviceName(state.office, s.letter, L)}`);
    const p = paused.get(s.letter);
    if (p) {
      const n = document.createElement("div");
      n.className = "state paused";
      n.textContent = t(L, "live.service_paused", { time: hhmm(p.since), reason: p.reason || t(L, "live.no_reason") });
      name.append(n);
    }
    const first = (state.snap.tickets || []).filter((x) => x.status === "waiting" && x.service === s.letter)
      .reduce((a, x) => (!a || x.queued_at < a ? x.queued_at : a), null);
    const longest = td(first ? since(first) : "—", "num longest");
    if (first) longest.dataset.from = first;
    const acts = document.createElement("td");
    acts.append(p
      ? button(t(L, "live.resume"), s.letter, "", () => serviceCalls(s.letter, "resume"))
      : button(t(L, "live.pause"), s.letter, "", () => serviceCalls(s.letter, "pause")));
    tr.append(name, td(String(state.snap.waiting?.[s.letter] ?? 0), "num"), longest, acts);
    body.append(tr);
  }
  const c = state.snap.cutoff;
  $("cutoff").textContent = c ? t(L, "live.cutoff", { time: hhmm(c.closing), n: c.count, waiting: c.waiting }) : t(L, "live.cutoff.none");
}

async function serviceCalls(letter, action) {
  say("");
  try {
    await api("POST", `/api/v1/admin/services/${encodeURIComponent(letter)}/${action}`,
      action === "pause" ? { reason: $("pause-reason").value } : {}, state.lang);
    if (action === "pause") $("pause-reason").value = "";
    say(t(state.lang, `live.done.${action}`, { service: letter }), true);
  } catch (e) {
    say(e.message);
  }
}

// ---- the display message ----

function renderMessageNow() {
  const m = state.snap?.message;
  const showing = m && officeNow() < Date.parse(m.until);
  $("message-now").textContent = showing
    ? t(state.lang, "live.message.showing", { time: hhmm(m.until), text: m.text[state.langs[0]] || Object.values(m.text)[0] })
    : t(state.lang, "live.message.none");
  $("message-clear").hidden = !showing;
}

async function sendMessage(ev) {
  ev.preventDefault();
  say("");
  const [first, second] = state.langs;
  const text = { [first]: $("message-first").value };
  if (second) text[second] = $("message-second").value;
  try {
    await api("POST", "/api/v1/admin/display-message", { text, until: $("message-until").value.trim() }, state.lang);
    $("message-form").reset();
    say(t(state.lang, "live.message.sent"), true);
  } catch (e) {
    say(e.message);
  }
}

async function clearMessage() {
  say("");
  try {
    await api("DELETE", "/api/v1/admin/display-message", undefined, state.lang);
    say(t(state.lang, "live.message.cleared"), true);
  } catch (e) {
    say(e.message);
  }
}

// ---- the figures and connections ----

function figure(key, value) {
  const div = document.createElement("div");
  const dt = document.createElement("dt");
  dt.textContent = t(state.lang, key);
  const dd = document.createElement("dd");
  dd.textContent = value;
  dd.dataset.figure = key;
  div.append(dt, dd);
  return div;
}

async function refreshFigures() {
  state.figuresDue = null;
  let v;
  try {
    v = await api("GET", "/api/v1/admin/live", undefined, state.lang);
  } catch (e) {
    say(e.message);
    return;
  }
  const f = v.figures;
  $("figures").replaceChildren(
    figure("live.fig.issued", f.issued), figure("live.fig.waiting", f.waiting), figure("live.fig.called", f.called),
    figure("live.fig.served", f.served), figure("live.fig.no_shows", f.no_shows), figure("live.fig.cancelled", f.cancelled),
    figure("live.fig.mean_wait", duration(state.lang, f.mean_wait_s)), figure("live.fig.longest_wait", duration(state.lang, f.longest_wait_s)));
  const c = v.connections;
  const kiosks = c.kiosks.length ? c.kiosks.map((k) => k.name).join(", ") : t(state.lang, "live.conn.no_kiosks");
  $("connections").textContent = t(state.lang, "live.conn", { staff: c.staff, screens: c.screens, kiosks });
}

function figuresSoon() {
  if (!state.figuresDue) state.figuresDue = setTimeout(refreshFigures, 1000);
}

function render() {
  if (!state.snap) return;
  renderDesks();
  renderServices();
  renderMessageNow();
}

async function start() {
  const { lang, office, langs } = await adminNav(document.querySelector("nav"), "live");
  Object.assign(state, { lang, office, langs });
  await load([lang], ["live"]);
  apply(document, lang);
  document.title = `Langelis – ${t(lang, "live.title")}`;
  const [first, second] = langs;
  $("message-first-label").textContent = t(lang, "live.message.text", { lang: first.toUpperCase() });
  $("message-second-label").textContent = second ? t(lang, "live.message.text", { lang: second.toUpperCase() }) : "";
  $("message-second-box").hidden = !second;
  $("message-form").addEventListener("submit", sendMessage);
  $("message-clear").addEventListener("click", clearMessage);
  state.live = new Live({
    onSnapshot: (snap) => { state.snap = snap; state.skew = Date.parse(snap.now) - Date.now(); render(); figuresSoon(); },
    onEvent: (ev) => {
      applyEvent(state.snap, ev);
      if (ev.at) state.skew = Date.parse(ev.at) - Date.now();
      render();
      figuresSoon();
    },
    onSide: (msg) => { if (msg.type === "cutoff" && state.snap) { state.snap.cutoff = msg.cutoff ?? null; renderServices(); } },
    onStatus: (up) => { $("offline").hidden = up; },
  }).start();
  await refreshFigures();
  setInterval(tickHeld, 1000);
  setInterval(refreshFigures, 10000);
}

start();

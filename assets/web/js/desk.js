// The clerk's desk: sign in, choose and open a desk, then every action on
// a button and a single key. The server holds all state; this page asks it
// again (GET /api/v1/desks/N) whenever the websocket says anything changed,
// so a reload, a second screen or a restarted computer shows the same desk.
import { load, t, apply, serviceName, useOffice, LANGS, duration } from "/static/js/i18n.js";
import { Live, applyEvent } from "/static/js/live.js";
import { clock, deskCutoffText } from "/static/js/eod.js";
import { renderBooked } from "/static/js/deskbookings.js";

// The actions in screen order. key is the letter, pad the numeric keypad
// digit; ask names the dialog an action needs first. cmd/desk uses the same keys.
export const ACTIONS = [
  { id: "next", key: "n", pad: "1", main: true },
  { id: "recall", key: "r", pad: "2" },
  { id: "start", key: "s", pad: "3" },
  { id: "finish", key: "f", pad: "4" },
  { id: "no-show", key: "x", pad: "5" },
  { id: "return", key: "b", pad: "6" },
  { id: "transfer", key: "t", pad: "7", ask: true },
  { id: "call", key: "c", pad: "8", ask: true },
  { id: "refuse", key: "d", pad: "9", ask: true },
  { id: "pause", key: "p", pad: "0", ask: true },
  { id: "close", key: "q", pad: "." },
  { id: "category", key: "g", ask: true },
  { id: "stay", key: "e", ask: true },
];

// The priority groups a clerk may correct a ticket to, with their keys in
// the dialog.
const GROUPS = ["none", "child", "pregnant", "disability", "elderly"];

const $ = (id) => document.getElementById(id);
// snap is the staff queue (desks, tickets, cutoff) kept live over the
// websocket from sign-in to sign-out, for the desk chooser, the transfer
// targets and the end of day.
const state = { lang: "lt", me: null, office: null, desk: 0, view: null, live: null, busy: false, snap: null };

function say(text, ok = false) {
  $("msg").textContent = text || "";
  $("msg").className = ok ? "ok" : "";
}

// Every request says the clerk's language: the server writes its messages
// (a refusal, a wrong password) in it.
async function api(method, path, body) {
  const opt = { method, headers: { "Accept-Language": state.lang }, credentials: "same-origin" };
  if (body !== undefined) { opt.headers["Content-Type"] = "application/json"; opt.body = JSON.stringify(body); }
  const r = await fetch(path, opt);
  if (r.status === 204) return null;
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    const err = new Error(data?.error?.message || `${r.status}`);
    err.code = data?.error?.code;
    throw err;
  }
  return data;
}

function show(section) {
  for (const s of ["signin", "newpw", "choose", "work"]) $(s).hidden = s !== section;
  $("signout").hidden = section === "signin";
}

// ---- sign-in and desk choice ----

async function start() {
  state.office = await api("GET", "/api/v1/office");
  const { first } = useOffice(state.office);
  const saved = new URLSearchParams(location.search).get("lang") || localStorage.getItem("desk.lang") || first;
  state.lang = LANGS.includes(saved) ? saved : first;
  await load([state.lang], ["desk", "priority", "booking"]);
  const sel = $("lang");
  for (const l of LANGS) sel.add(new Option(l.toUpperCase(), l, false, l === state.lang));
  sel.onchange = async () => {
    state.lang = sel.value;
    localStorage.setItem("desk.lang", state.lang);
    await load([state.lang], ["desk", "priority", "booking"]);
    if (!$("choose").hidden) renderChoose(); else render();
  };
  $("signin-form").onsubmit = signIn;
  $("newpw-form").onsubmit = changePassword;
  $("signout").onclick = signOut;
  // A booked visitor who came to the desk instead of the kiosk.
  $("booked-checkin").onclick = () => ask(t(state.lang, "desk.bookings.checkin_ask"), [], async (code) => {
    const tk = await api("POST", `/api/v1/bookings/${encodeURIComponent(code.trim())}/check-in`, { lang: state.lang });
    say(t(state.lang, "desk.bookings.checkin_done", { number: tk.number }), true);
    await refresh();
  });
  document.addEventListener("keydown", onKey);
  document.addEventListener("keyup", onKeyUp);
  try {
    const who = await api("GET", "/api/v1/session");
    state.me = who.user;
    if (who.must_change_password) { showNewPassword(""); return; }
    await afterSignIn();
  } catch {
    showSignIn();
  }
}

// showNewPassword asks a clerk who signed in with a one-time password for
// their own before anything else (the server refuses everything else until
// then). current is the one-time password just typed; after a reload it
// is asked again.
function showNewPassword(current) {
  state.oneTime = current;
  show("newpw");
  $("newpw-current-label").hidden = !!current;
  $("newpw-current").required = !current;
  for (const id of ["newpw-current", "newpw-new", "newpw-again"]) $(id).value = "";
  $(current ? "newpw-new" : "newpw-current").focus();
}

async function changePassword(ev) {
  ev.preventDefault();
  const next = $("newpw-new").value;
  if (next !== $("newpw-again").value) {
    say(t(state.lang, "desk.newpw.mismatch"));
    $("newpw-again").value = "";
    $("newpw-again").focus();
    return;
  }
  try {
    await api("POST", "/api/v1/session/password", { current: state.oneTime || $("newpw-current").value, new: next });
    state.oneTime = "";
    for (const id of ["newpw-current", "newpw-new", "newpw-again"]) $(id).value = "";
    say(t(state.lang, "desk.newpw.done"), true);
    await afterSignIn();
  } catch (e) {
    $("newpw-new").value = "";
    $("newpw-again").value = "";
    say(e.message);
    $("newpw-new").focus();
  }
}

function showSignIn() {
  state.me = null;
  show("signin");
  render();
  $("username").focus();
}

async function signIn(ev) {
  ev.preventDefault();
  try {
    const r = await api("POST", "/api/v1/session", { username: $("username").value, password: $("password").value });
    state.me = r.user;
    const typed = $("password").value;
    $("password").value = "";
    say("");
    if (r.must_change_password) { showNewPassword(typed); return; }
    await afterSignIn();
  } catch (e) {
    // A refused password is not kept: the clerk types it again, and
    // nobody walking past can submit it once more.
    $("password").value = "";
    $("password").focus();
    say(e.message);
  }
}

async function signOut() {
  stopLive();
  await api("DELETE", "/api/v1/session").catch(() => {});
  state.desk = 0;
  state.view = null;
  say("");
  showSignIn();
}

// afterSignIn goes straight back to the desk this clerk holds (a reload or
// a restarted computer), or lets them choose one.
async function afterSignIn() {
  const q = await api("GET", "/api/v1/queue");
  state.snap = q;
  startLive();
  const mine = (q.desks || []).find((d) => d.status !== "closed" && d.clerk === state.me.username);
  if (mine) { await work(mine.number); return; }
  showChoose();
}

// One websocket from sign-in to sign-out: closing a desk does not drop it,
// so the chooser stays live and nothing shows "no connection" that is not.
function startLive() {
  if (state.live) return;
  state.live = new Live({
    onSnapshot: (snap) => { state.snap = snap; changed(); },
    onEvent: async (ev) => {
      applyEvent(state.snap, ev);
      // A configuration change (a desk added, a service renamed): read the
      // office again, so the chooser offers the new desk at once.
      if (ev.type === "office.changed" && !ev.desk) state.office = await api("GET", "/api/v1/office");
      changed();
      // A new day has new opening hours.
      if (ev.type === "day.started") api("GET", "/api/v1/office").then((o) => { state.office = o; renderEnd(); }).catch(() => {});
    },
    onSide: (msg) => { if (msg.type === "cutoff" && state.snap) { state.snap.cutoff = msg.cutoff ?? null; renderEnd(); } },
    onStatus: (up) => { $("offline").hidden = up; if (up) changed(); },
  }).start();
}

function stopLive() {
  if (state.live) { state.live.stop(); state.live = null; }
  $("offline").hidden = true;
}

function changed() {
  liveChoice?.();
  if (state.desk) refresh();
  else if (!$("choose").hidden) renderChoose();
}

/** Who holds a desk, as the chooser and the admin's button name them. */
function holder(d) { return d.clerk_name || d.clerk || t(state.lang, "desk.someone"); }

function liveDesk(n) { return (state.snap?.desks || []).find((x) => x.number === n); }

function showChoose() {
  show("choose");
  renderChoose();
}

// The chooser: a free desk is a button that opens it; a held one says who
// holds it and cannot be pressed, so no clerk clicks into a refusal.
function renderChoose() {
  const box = $("desks");
  box.textContent = "";
  for (const d of state.office.desks) {
    const live = liveDesk(d.number);
    const held = live && live.status !== "closed";
    const b = document.createElement("button");
    b.type = "button";
    b.id = `open-${d.number}`;
    b.className = held ? "held" : "free";
    b.disabled = !!held;
    const title = document.createElement("b");
    title.textContent = t(state.lang, "desk.number", { n: d.number });
    const st = document.createElement("span");
    st.className = "state";
    st.textContent = held ? t(state.lang, "desk.held.by", { name: holder(live) }) : t(state.lang, "desk.free");
    const svc = document.createElement("span");
    svc.className = "services";
    svc.textContent = d.services.map((s) => `${s} – ${serviceName(state.office, s, state.lang)}`).join("\n");
    b.append(title, st, svc);
    b.onclick = () => openDesk(d.number);
    const cell = document.createElement("div");
    cell.className = "desk-cell";
    cell.append(b);
    box.append(cell);
    // An admin may close a desk its clerk left open (POST /api/v1/admin/desks/N/close).
    if (held && state.me?.role === "admin" && live.clerk !== state.me.username) {
      const fc = document.createElement("button");
      fc.type = "button";
      fc.id = `force-${d.number}`;
      fc.className = "force";
      fc.textContent = t(state.lang, "desk.forceclose", { n: d.number, name: holder(live) });
      fc.onclick = async () => {
        try {
          await api("POST", `/api/v1/admin/desks/${d.number}/close`);
          say("");
        } catch (e) { say(e.message); }
      };
      cell.append(fc);
    }
  }
  render();
}

async function openDesk(n) {
  const live = liveDesk(n);
  if (live && live.status !== "closed") { say(t(state.lang, "desk.held.msg", { n, name: holder(live) })); return; }
  try {
    await api("POST", `/api/v1/desks/${n}/open`);
    say("");
    await work(n);
  } catch (e) {
    say(e.message);
  }
}

// ---- the desk at work ----

async function work(n) {
  state.desk = n;
  show("work");
  buildActions();
  await refresh();
}

let again = false;
async function refresh() {
  if (!state.desk) return;
  if (state.busy) { again = true; return; }
  state.busy = true;
  const d = state.desk;
  try {
    const view = await api("GET", `/api/v1/desks/${d}`);
    if (state.desk !== d) return; // closed here meanwhile: closeDesk has moved on
    state.view = view;
    // The next booked visits of the desk's services (issue 17).
    state.booked = await api("GET", `/api/v1/desks/${d}/bookings`).catch(() => null);
    if (view.desk.status === "closed" || view.desk.clerk !== state.me.username) {
      // Closed elsewhere (an admin, or the session ended): back to the choice.
      state.desk = 0;
      state.view = null;
      showChoose();
      say(t(state.lang, "desk.closed.elsewhere", { n: d }));
      return;
    }
    render();
  } catch (e) {
    if (e.code === "unauthorized") {
      // The session ended; the server closes the desk and puts its ticket back.
      stopLive();
      state.desk = 0;
      state.view = null;
      showSignIn();
      say(e.message);
      return;
    }
    say(e.message);
  } finally {
    state.busy = false;
    if (again) { again = false; refresh(); }
  }
}

function buildActions() {
  const box = $("actions");
  if (box.childElementCount) return;
  for (const a of ACTIONS) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = `act-${a.id}`;
    b.dataset.action = a.id;
    if (a.main) b.classList.add("main");
    const label = document.createElement("span");
    const kbd = document.createElement("kbd");
    kbd.textContent = a.pad ? `${a.key.toUpperCase()} · ${a.pad}` : a.key.toUpperCase();
    b.append(label, kbd);
    b.onclick = () => act(a.id);
    box.append(b);
  }
}

// applies says whether an action fits the desk's state; the others are
// dimmed but still answer, so a wrong key gets the server's explanation.
function applies(id, v) {
  const tk = v.ticket;
  const paused = v.desk.status === "paused";
  switch (id) {
    case "next": return !paused && (!tk || tk.status === "serving");
    case "call": return !paused && !tk;
    case "recall": case "start": case "no-show": return tk?.status === "called";
    case "finish": return tk?.status === "serving";
    case "return": case "transfer": case "refuse": case "category": return !!tk;
    default: return true;
  }
}

function render() {
  apply(document, state.lang);
  document.title = `Langelis – ${t(state.lang, "desk.title")}`;
  $("who").textContent = state.me ? state.me.name || state.me.username : "";
  for (const a of ACTIONS) {
    const b = $(`act-${a.id}`);
    if (!b) continue;
    let id = a.id;
    if (id === "pause" && state.view?.desk.status === "paused") id = "resume";
    b.querySelector("span").textContent = t(state.lang, `act.${id}`);
    b.classList.toggle("off", !!state.view && !applies(a.id, state.view));
  }
  const v = state.view;
  if (!v || $("work").hidden) return;
  $("desk-title").textContent = t(state.lang, "desk.number", { n: v.desk.number });
  const ds = $("desk-status");
  ds.className = v.desk.status;
  ds.textContent = v.desk.status === "paused" ? t(state.lang, "desk.paused", { reason: v.desk.pause_reason || "–" }) : t(state.lang, "desk.open");
  const tk = v.ticket;
  $("ticket-number").textContent = tk ? tk.number : "—";
  $("ticket-status").textContent = tk
    ? `${t(state.lang, `desk.ticket.${tk.status}`)} · ${serviceName(state.office, tk.service, state.lang)}`
    : t(state.lang, "desk.none");
  let waited = tk ? t(state.lang, "desk.waited", { time: duration(state.lang, v.waited_seconds) }) : "";
  if (tk?.recalls) waited += ` · ${t(state.lang, "desk.recalls", { n: tk.recalls })}`;
  // How many recalls are left before the next one ends the call as a no-show.
  if (tk?.status === "called") {
    const left = recallsLeft(tk);
    waited += ` · ${left > 0 ? t(state.lang, "desk.recalls.left", { n: left }) : t(state.lang, "desk.recalls.last")}`;
  }
  $("ticket-waited").textContent = waited;
  // The priority group is the clerk's to see (and correct); never the hall's.
  const group = $("ticket-group");
  group.textContent = tk ? t(state.lang, "desk.group", { group: t(state.lang, `priority.${tk.priority || "none"}`) }) : "";
  group.className = tk && tk.priority && tk.priority !== "none" ? "priority" : "";
  // A booking's ticket: the clerk sees its slot (staff only).
  if (tk?.slot_at) group.textContent += ` · ${t(state.lang, "desk.bookings.booked_for", { time: clock(tk.slot_at, state.office?.time_zone) })}`;
  const ul = $("waiting");
  ul.textContent = "";
  for (const s of v.desk.services) {
    const li = document.createElement("li");
    li.dataset.service = s;
    li.textContent = `${s} – ${serviceName(state.office, s, state.lang)}: ${v.waiting[s] ?? 0}`;
    ul.append(li);
  }
  $("upcoming").textContent = v.upcoming.length ? v.upcoming.join("  ") : "—";
  renderBooked($("booked"), state.booked, state.office, state.lang);
  $("served").textContent = t(state.lang, "desk.served", { n: v.served_today });
  $("mean").textContent = v.served_today ? t(state.lang, "desk.mean", { time: duration(state.lang, v.mean_service_seconds) }) : "";
  renderEnd();
}

/** The end of the day on the desk: when the office closes (or when this
 * clerk stays until), and how many more tickets can still be called. */
function renderEnd() {
  const v = state.view;
  if (!v || $("work").hidden) return;
  const c = state.snap?.cutoff;
  const tz = state.office.time_zone;
  const lines = [];
  const closing = officeClosing(c);
  if (closing) lines.push(t(state.lang, "desk.closing", { time: clock(closing, tz) }));
  if (v.desk.stay_until) lines.push(t(state.lang, "desk.stay.until", { time: clock(v.desk.stay_until, tz) }));
  $("closing").textContent = lines.join(" · ");
  $("cutoff").textContent = deskCutoffText(state.lang, c);
  $("cutoff").className = c?.notice && c.waiting ? "notice" : "";
}

/** The office's own closing today, from its opening hours (the cutoff's
 * closing is the same; a clerk's stay is shown apart, as the desk's own).
 * Hours read on another day (a page left open overnight, until the
 * day.started reload) do not count. */
function officeClosing(c) {
  const today = state.office?.today || [];
  const end = today.length ? today[today.length - 1].end : null;
  if (!c?.closing) return end;
  if (!end || Math.abs(Date.parse(c.closing) - Date.parse(end)) > 12 * 3600e3) return c.closing;
  return end;
}

/** The recalls the office allows the called ticket before a recall turns
 * it into a no-show (office.recall_limit). */
function recallsLeft(tk) {
  return Math.max(0, (state.office?.recall_limit ?? 2) - (tk.recalls || 0));
}

async function post(action, body) {
  const r = await api("POST", `/api/v1/desks/${state.desk}/${action}`, body);
  if (action === "next" && r === null) say(t(state.lang, "desk.none.waiting"), true);
  // A no-show is said, whether asked for or the end of the recalls.
  else if (r?.ticket?.status === "no_show") say(t(state.lang, "desk.noshow.done", { number: r.ticket.number }), true);
  else say("");
  await refresh();
  return r;
}

async function act(id) {
  const v = state.view;
  if (!v) return;
  try {
    const number = v.ticket?.number || "";
    switch (id) {
      case "pause":
        if (v.desk.status === "paused") { await post("resume"); return; }
        ask(t(state.lang, "dlg.pause"), [], (reason) => post("pause", { reason }));
        return;
      case "transfer":
        if (!v.ticket) { await post("transfer", {}); return; }
        // The list follows the hall while it is open: a desk that opens
        // or closes meanwhile comes or goes, with its key.
        choose(t(state.lang, "dlg.transfer", { number }), () => transferTargets(state.view || v));
        return;
      case "category":
        if (!v.ticket) { await post("category", { priority: "none" }); return; }
        choose(t(state.lang, "dlg.category", { number }), GROUPS.map((g, i) =>
          [String(i), `priority.${g}`, () => post("category", { priority: g }), g === (v.ticket.priority || "none")]));
        return;
      case "stay":
        ask(t(state.lang, "dlg.stay", { n: v.desk.number }), [15, 30, 60].map((m) => ({ label: t(state.lang, "stay.minutes", { n: m }), value: String(m) })),
          (answer) => {
            answer = answer.trim();
            // Digits are minutes; anything else goes as a time, and the
            // server says in the clerk's language what is wrong with it
            // (an empty or unreadable answer never takes the stay back).
            if (/^\d+$/.test(answer)) return post("stay", { minutes: Number(answer) });
            return post("stay", { until: answer || " " });
          });
        return;
      case "recall":
        // At the limit the server would end the call as a no-show: ask.
        if (v.ticket?.status === "called" && recallsLeft(v.ticket) === 0) {
          choose(t(state.lang, "dlg.recall.limit", { number }), [["x", "act.no-show", () => post("no-show")]]);
          return;
        }
        await post("recall");
        return;
      case "call":
        ask(t(state.lang, "dlg.call"), [], (n) => post("call", { number: n.trim() }));
        return;
      case "refuse":
        ask(t(state.lang, "dlg.refuse", { number }), ["reason.intoxicated", "reason.aggressive"], (reason) => post("refuse", { reason }));
        return;
      case "close":
        if (v.ticket?.status === "serving") {
          choose(t(state.lang, "dlg.close", { number }), [
            ["f", "act.finish", () => closeDesk("finish")],
            ["b", "act.return", () => closeDesk("return")],
          ]);
          return;
        }
        choose(t(state.lang, "dlg.close.confirm", { n: v.desk.number }), [["q", "act.close", () => closeDesk()]]);
        return;
      default:
        await post(id);
    }
  } catch (e) {
    say(e.message);
  }
}

async function closeDesk(mode) {
  await api("POST", `/api/v1/desks/${state.desk}/close`, mode ? { ticket: mode } : undefined);
  state.desk = 0;
  state.view = null;
  say("");
  showChoose();
}

/** Where a ticket can be sent: every other service (by its letter) and
 * every other open desk (by its number), as choices with their keys. */
function transferTargets(v) {
  const out = [];
  if (!v?.ticket) return out;
  for (const s of state.office.services) {
    if (s.letter === v.ticket.service) continue;
    const name = serviceName(state.office, s.letter, state.lang);
    // A service no open desk serves now: the clerk is told and asked, for
    // the client would wait with nobody to call them.
    const served = (state.snap?.desks || []).some((d) => d.status !== "closed" && d.services?.includes(s.letter));
    const send = () => post("transfer", { service: s.letter });
    const fn = served ? send : () => choose(t(state.lang, "dlg.transfer.unserved", { service: name, number: v.ticket.number }),
      [["t", "act.transfer", send]]);
    out.push([s.letter.toLowerCase(), null, fn, false,
      `${s.letter} – ${name}${served ? "" : ` (${t(state.lang, "desk.transfer.nodesk")})`}`]);
  }
  for (const d of state.snap?.desks || []) {
    if (d.number === v.desk.number || d.status === "closed") continue;
    out.push([d.number < 10 ? String(d.number) : "", null, () => post("transfer", { desk: d.number }),
      false, t(state.lang, "desk.number", { n: d.number })]);
  }
  return out;
}

// ---- dialogs: one text field (with optional presets) or a choice ----

function openDialog(text) {
  liveChoice = null;
  $("dlg").onkeydown = escape;
  $("dlg-text").textContent = text;
  $("dlg-presets").textContent = "";
  $("dlg-buttons").textContent = "";
  $("dlg-input").value = "";
  return $("dlg");
}

// Escape closes a dialog and does nothing else, whatever has the focus.
function escape(e) {
  if (e.key !== "Escape") return false;
  e.preventDefault();
  closeDialog();
  return true;
}

// closeDialog also takes the focus off the dialog's buttons, so that the
// next key goes to the desk, not to a button of a dialog no longer shown.
function closeDialog() {
  $("dlg").close();
  if ($("dlg").contains(document.activeElement)) document.activeElement.blur();
}

function button(label, fn, key) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  if (key) {
    const k = document.createElement("kbd");
    k.textContent = key.toUpperCase();
    b.append(" ", k);
    b.dataset.key = key;
  }
  b.onclick = fn;
  return b;
}

async function finishDialog(fn) {
  closeDialog();
  try { await fn(); } catch (e) { say(e.message); }
}

function ask(text, presets, done) {
  const dlg = openDialog(text);
  const input = $("dlg-input");
  input.hidden = false;
  for (const p of presets) {
    // A preset is a text key, or a label with the value it fills in.
    const [label, value] = typeof p === "string" ? [t(state.lang, p), t(state.lang, p)] : [p.label, p.value];
    $("dlg-presets").append(button(label, () => { input.value = value; input.focus(); }));
  }
  const ok = button(t(state.lang, "dlg.ok"), () => finishDialog(() => done(input.value)));
  ok.id = "dlg-ok";
  $("dlg-buttons").append(ok, button(t(state.lang, "dlg.cancel"), closeDialog));
  $("dlg-form").onsubmit = (e) => { e.preventDefault(); finishDialog(() => done(input.value)); };
  dlg.showModal();
  input.focus();
}

// choose offers buttons: [key, text key, action, current, plain label].
// liveChoice redraws the open choice dialog whose options follow the
// queue (the transfer targets); null when none is open.
let liveChoice = null;

/** A choice dialog. options is a list of [key, label key, fn, current,
 * plain label], or a function returning one: then the list is drawn again
 * whenever the queue changes while the dialog is open. */
function choose(text, options) {
  const dlg = openDialog(text);
  $("dlg-input").hidden = true;
  const list = () => (typeof options === "function" ? options() : options);
  let shown = [];
  const draw = () => {
    shown = list();
    const had = document.activeElement?.dataset?.key;
    $("dlg-buttons").textContent = "";
    let focus = null;
    for (const [key, label, fn, current, plain] of shown) {
      const b = button(plain || t(state.lang, label), () => finishDialog(fn), key);
      if (current) { b.classList.add("current"); b.setAttribute("aria-current", "true"); }
      if (!focus || (had && key === had)) focus = b;
      $("dlg-buttons").append(b);
    }
    const cancel = button(t(state.lang, "dlg.cancel"), closeDialog);
    $("dlg-buttons").append(cancel);
    (focus || cancel).focus();
  };
  liveChoice = typeof options === "function" ? () => { if (dlg.open) draw(); else liveChoice = null; } : null;
  $("dlg-form").onsubmit = (e) => e.preventDefault();
  dlg.onkeydown = (e) => {
    // A closed dialog's button may keep the focus: its keys are not answers.
    if (!dlg.open || escape(e)) return;
    const o = shown.find(([k]) => k && k === keyOf(e));
    if (o) { e.preventDefault(); e.stopPropagation(); finishDialog(o[2]); }
  };
  dlg.showModal();
  draw();
}

/** The shortcut a key event means: its letter, digit or ".". A letter is
 * what the key types when that is a Latin letter (so QWERTZ, AZERTY and
 * Dvorak keep their own letters), and otherwise the Latin letter engraved
 * on the same key, from event.code: a Bulgarian, Russian or Ukrainian
 * layout types "т" on the key marked N, and the clerk presses N as the
 * hint says. The keypad's decimal key types "," in many layouts. */
function keyOf(e) {
  const k = (e.key || "").toLowerCase();
  if (/^[a-z]$/.test(k)) return k;
  const physical = e.code || ""; // a key's place, not an error code
  const m = /^Key([A-Z])$/.exec(physical);
  if (m && k.length === 1) return m[1].toLowerCase();
  if (physical === "NumpadDecimal") return ".";
  return k;
}

function onKey(e) {
  if (e.ctrlKey || e.altKey || e.metaKey || $("dlg").open) { pendingKey = null; return; }
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  const k = keyOf(e);
  if (!$("choose").hidden && /^[1-9]$/.test(k)) {
    if (state.office.desks.some((d) => d.number === Number(k))) { e.preventDefault(); openDesk(Number(k)); }
    return;
  }
  if ($("work").hidden) return;
  const a = ACTIONS.find((x) => x.key === k || x.pad === k);
  if (!a) return;
  e.preventDefault();
  pendingKey = k;
}

// An action runs when its key comes up, not down: a key held down does not
// call ticket after ticket, and a dialog opened by the key does not receive
// the key's own letter.
let pendingKey = null;
function onKeyUp(e) {
  const k = keyOf(e);
  if (k !== pendingKey) return;
  pendingKey = null;
  const a = ACTIONS.find((x) => x.key === k || x.pad === k);
  if (a && !$("work").hidden && !$("dlg").open) act(a.id);
}

start().catch((e) => say(e.message));

// The clerk's desk: sign in, choose and open a desk, then every action on
// a button and a single key. The server holds all state; this page asks it
// again (GET /api/v1/desks/N) whenever the websocket says anything changed,
// so a reload, a second screen or a restarted computer shows the same desk.
import { load, t, apply, serviceName, LANGS } from "/static/js/i18n.js";
import { Live } from "/static/js/live.js";

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
];

const $ = (id) => document.getElementById(id);
const state = { lang: "lt", me: null, office: null, desk: 0, view: null, live: null, busy: false };

function say(text, ok = false) {
  $("msg").textContent = text || "";
  $("msg").className = ok ? "ok" : "";
}

async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: "same-origin" };
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
  for (const s of ["signin", "choose", "work"]) $(s).hidden = s !== section;
  $("signout").hidden = section === "signin";
}

function fmtDuration(sec) {
  const s = Math.max(0, Math.round(sec));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

// ---- sign-in and desk choice ----

async function start() {
  const saved = new URLSearchParams(location.search).get("lang") || localStorage.getItem("desk.lang") || "lt";
  state.lang = LANGS.includes(saved) ? saved : "lt";
  await load([state.lang], ["desk"]);
  const sel = $("lang");
  for (const l of LANGS) sel.add(new Option(l.toUpperCase(), l, false, l === state.lang));
  sel.onchange = async () => {
    state.lang = sel.value;
    localStorage.setItem("desk.lang", state.lang);
    await load([state.lang], ["desk"]);
    render();
  };
  $("signin-form").onsubmit = signIn;
  $("signout").onclick = signOut;
  document.addEventListener("keydown", onKey);
  document.addEventListener("keyup", onKeyUp);
  state.office = await api("GET", "/api/v1/office");
  try {
    const who = await api("GET", "/api/v1/session");
    state.me = who.user;
    await afterSignIn();
  } catch {
    showSignIn();
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
    $("password").value = "";
    say("");
    await afterSignIn();
  } catch (e) {
    say(e.message);
  }
}

async function signOut() {
  if (state.live) { state.live.stop(); state.live = null; }
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
  const mine = (q.desks || []).find((d) => d.status !== "closed" && d.clerk === state.me.username);
  if (mine) { await work(mine.number); return; }
  showChoose(q.desks || []);
}

function showChoose(desks) {
  show("choose");
  const box = $("desks");
  box.textContent = "";
  for (const d of state.office.desks) {
    const live = desks.find((x) => x.number === d.number);
    const b = document.createElement("button");
    b.type = "button";
    b.id = `open-${d.number}`;
    const title = document.createElement("b");
    title.textContent = t(state.lang, "desk.number", { n: d.number });
    b.append(title, d.services.map((s) => `${s} – ${serviceName(state.office, s, state.lang)}`).join("\n"));
    b.style.whiteSpace = "pre-line";
    b.onclick = () => openDesk(d.number);
    box.append(b);
    if (live && live.status !== "closed") {
      b.classList.add("off");
      // An admin may close a desk its clerk left open (POST /api/v1/admin/desks/N/close).
      if (state.me?.role === "admin" && live.clerk !== state.me.username) {
        const fc = document.createElement("button");
        fc.type = "button";
        fc.id = `force-${d.number}`;
        fc.className = "force";
        fc.textContent = t(state.lang, "desk.forceclose", { n: d.number, name: live.clerk_name || live.clerk });
        fc.onclick = async () => {
          try {
            await api("POST", `/api/v1/admin/desks/${d.number}/close`);
            showChoose((await api("GET", "/api/v1/queue")).desks || []);
          } catch (e) { say(e.message); }
        };
        box.append(fc);
      }
    }
  }
  render();
}

async function openDesk(n) {
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
  if (state.live) state.live.stop();
  state.live = new Live({
    onSnapshot: () => refresh(),
    onEvent: () => refresh(),
    onStatus: (up) => { $("offline").hidden = up; if (up) refresh(); },
  }).start();
}

let again = false;
async function refresh() {
  if (!state.desk) return;
  if (state.busy) { again = true; return; }
  state.busy = true;
  try {
    state.view = await api("GET", `/api/v1/desks/${state.desk}`);
    if (state.view.desk.status === "closed" || state.view.desk.clerk !== state.me.username) {
      // Closed elsewhere (an admin, or the session ended): back to the choice.
      const d = state.desk;
      state.desk = 0;
      if (state.live) { state.live.stop(); state.live = null; }
      const q = await api("GET", "/api/v1/queue");
      showChoose(q.desks || []);
      say(t(state.lang, "desk.closed.elsewhere", { n: d }));
      return;
    }
    render();
  } catch (e) {
    if (e.code === "unauthorized") {
      // The session ended; the server closes the desk and puts its ticket back.
      if (state.live) { state.live.stop(); state.live = null; }
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
    kbd.textContent = `${a.key.toUpperCase()} · ${a.pad}`;
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
    case "return": case "transfer": case "refuse": return !!tk;
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
  let waited = tk ? t(state.lang, "desk.waited", { time: fmtDuration(v.waited_seconds) }) : "";
  if (tk?.recalls) waited += ` · ${t(state.lang, "desk.recalls", { n: tk.recalls })}`;
  $("ticket-waited").textContent = waited;
  const ul = $("waiting");
  ul.textContent = "";
  for (const s of v.desk.services) {
    const li = document.createElement("li");
    li.dataset.service = s;
    li.textContent = `${s} – ${serviceName(state.office, s, state.lang)}: ${v.waiting[s] ?? 0}`;
    ul.append(li);
  }
  $("upcoming").textContent = v.upcoming.length ? v.upcoming.join("  ") : "—";
  $("served").textContent = t(state.lang, "desk.served", { n: v.served_today });
  $("mean").textContent = v.served_today ? t(state.lang, "desk.mean", { time: fmtDuration(v.mean_service_seconds) }) : "";
}

async function post(action, body) {
  const r = await api("POST", `/api/v1/desks/${state.desk}/${action}`, body);
  if (action === "next" && r === null) say(t(state.lang, "desk.none.waiting"), true);
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
        ask(t(state.lang, "dlg.transfer", { number }), [], (to) => {
          to = to.trim();
          return /^\d+$/.test(to) ? post("transfer", { desk: Number(to) }) : post("transfer", { service: to.toUpperCase() });
        });
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
        await closeDesk();
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
  if (state.live) { state.live.stop(); state.live = null; }
  say("");
  const q = await api("GET", "/api/v1/queue");
  showChoose(q.desks || []);
}

// ---- dialogs: one text field (with optional presets) or a choice ----

function openDialog(text) {
  $("dlg-text").textContent = text;
  $("dlg-presets").textContent = "";
  $("dlg-buttons").textContent = "";
  $("dlg-input").value = "";
  return $("dlg");
}

function button(label, fn, key) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = key ? `${label} (${key.toUpperCase()})` : label;
  b.onclick = fn;
  return b;
}

async function finishDialog(fn) {
  $("dlg").close();
  try { await fn(); } catch (e) { say(e.message); }
}

function ask(text, presets, done) {
  const dlg = openDialog(text);
  const input = $("dlg-input");
  input.hidden = false;
  for (const p of presets) {
    $("dlg-presets").append(button(t(state.lang, p), () => { input.value = t(state.lang, p); input.focus(); }));
  }
  const ok = button(t(state.lang, "dlg.ok"), () => finishDialog(() => done(input.value)));
  ok.id = "dlg-ok";
  $("dlg-buttons").append(ok, button(t(state.lang, "dlg.cancel"), () => dlg.close()));
  $("dlg-form").onsubmit = (e) => { e.preventDefault(); finishDialog(() => done(input.value)); };
  dlg.onkeydown = null;
  dlg.showModal();
  input.focus();
}

function choose(text, options) {
  const dlg = openDialog(text);
  $("dlg-input").hidden = true;
  for (const [key, label, fn] of options) $("dlg-buttons").append(button(t(state.lang, label), () => finishDialog(fn), key));
  $("dlg-buttons").append(button(t(state.lang, "dlg.cancel"), () => dlg.close()));
  $("dlg-form").onsubmit = (e) => e.preventDefault();
  dlg.onkeydown = (e) => {
    const o = options.find(([k]) => k === e.key.toLowerCase());
    if (o) { e.preventDefault(); e.stopPropagation(); finishDialog(o[2]); }
  };
  dlg.showModal();
}

function onKey(e) {
  if (e.ctrlKey || e.altKey || e.metaKey || $("dlg").open) { pendingKey = null; return; }
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  const k = e.key.toLowerCase();
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
  const k = e.key.toLowerCase();
  if (k !== pendingKey) return;
  pendingKey = null;
  const a = ACTIONS.find((x) => x.key === k || x.pad === k);
  if (a && !$("work").hidden && !$("dlg").open) act(a.id);
}

start().catch((e) => say(e.message));

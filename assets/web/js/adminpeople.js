// /admin/people: the office's accounts. An admin adds a clerk, admin or
// kiosk account (it gets a one-time password, shown here once, which its
// person must change at the first sign-in), resets a password the same
// way, disables and enables an account (a disabled clerk's desk closes and
// its ticket goes back to the queue), and sees who is signed in where, and
// ends a session. The list follows the hall live: a desk opened or closed
// shows under its clerk.
import { adminNav, api } from "./adminnav.js";
import { load, t, apply } from "./i18n.js";
import { Live } from "./live.js";

const $ = (id) => document.getElementById(id);
const state = { lang: "lt", me: null, people: [] };

function say(text, ok = false) {
  $("msg").textContent = text || "";
  $("msg").className = ok ? "ok" : "error";
}

function fmtTime(iso) {
  return new Date(iso).toLocaleTimeString(state.lang, { hour: "2-digit", minute: "2-digit" });
}

async function refresh() {
  try {
    state.people = await api("GET", "/api/v1/admin/users", undefined, state.lang);
    render();
  } catch (e) {
    say(e.message);
  }
}

function button(text, cls, onclick, label, action) {
  const b = document.createElement("button");
  if (action) b.dataset.action = action;
  b.type = "button";
  b.textContent = text;
  if (cls) b.className = cls;
  // The accessible name starts with the visible text, then says whose.
  if (label) b.setAttribute("aria-label", `${text} – ${label}`);
  b.addEventListener("click", onclick);
  return b;
}

function stateBadge(p) {
  const s = document.createElement("span");
  const [cls, key] = p.disabled ? ["disabled", "people.state.disabled"]
    : p.must_change_password ? ["onetime", "people.state.onetime"] : ["active", "people.state.active"];
  s.className = `badge ${cls}`;
  s.textContent = t(state.lang, key);
  return s;
}

function where(p) {
  const L = state.lang;
  if (!p.sessions.length) {
    const s = document.createElement("span");
    s.className = "note";
    s.textContent = t(L, "people.where.none");
    return s;
  }
  const ul = document.createElement("ul");
  ul.className = "where";
  for (const ss of p.sessions) {
    const li = document.createElement("li");
    const text = document.createElement("span");
    let w = t(L, "people.where.since", { addr: ss.addr || "?", time: fmtTime(ss.created_at) });
    if (ss.desks?.length) w += " · " + t(L, "people.where.desks", { desks: ss.desks.join(", ") });
    text.textContent = w;
    li.append(text, button(t(L, "people.end_session"), "danger", () => endSession(p, ss),
      `${p.username}, ${ss.addr || "?"}`, "end-session"));
    ul.append(li);
  }
  return ul;
}

function render() {
  const L = state.lang;
  const body = $("people").tBodies[0];
  body.replaceChildren();
  for (const p of state.people) {
    const tr = document.createElement("tr");
    tr.dataset.user = p.username;
    const cells = [p.username, p.name, t(L, `people.role.${p.role}`)];
    for (const c of cells) {
      const td = document.createElement("td");
      td.textContent = c;
      tr.append(td);
    }
    const st = document.createElement("td");
    st.append(stateBadge(p));
    const wh = document.createElement("td");
    wh.append(where(p));
    const cell = document.createElement("td");
    cell.className = "actions";
    const acts = document.createElement("div"); // a flex row inside the cell keeps the table's lines
    cell.append(acts);
    acts.append(button(t(L, "people.reset"), "", () => act(p, "reset-password"),
      p.username, "reset-password"));
    if (p.disabled) {
      acts.append(button(t(L, "people.enable"), "", () => act(p, "enable"), p.username, "enable"));
    } else if (p.username !== state.me.username) {
      acts.append(button(t(L, "people.disable"), "danger", () => act(p, "disable"), p.username, "disable"));
    }
    tr.append(st, wh, cell);
    body.append(tr);
  }
}

function showOneTime(username, pw) {
  $("onetime-title").textContent = t(state.lang, "people.onetime.title", { user: username });
  $("onetime-password").textContent = pw;
  $("onetime").hidden = false;
  $("onetime-hide").focus();
}

async function add(ev) {
  ev.preventDefault();
  say("");
  try {
    const r = await api("POST", "/api/v1/admin/users",
      { username: $("add-username").value, name: $("add-name").value, role: $("add-role").value }, state.lang);
    $("add").reset();
    showOneTime(r.account.username, r.one_time_password);
    say(t(state.lang, "people.added", { user: r.account.username }), true);
    await refresh();
  } catch (e) {
    say(e.message);
    $("add-username").focus();
  }
}

async function act(p, action) {
  say("");
  try {
    const r = await api("POST", `/api/v1/admin/users/${encodeURIComponent(p.username)}/${action}`, {}, state.lang);
    if (r.one_time_password) showOneTime(p.username, r.one_time_password);
    say(t(state.lang, `people.done.${action}`, { user: p.username }), true);
    await refresh();
  } catch (e) {
    say(e.message);
  }
}

async function endSession(p, ss) {
  say("");
  try {
    await api("DELETE", `/api/v1/admin/sessions/${encodeURIComponent(ss.id)}`, undefined, state.lang);
    say(t(state.lang, "people.done.end_session", { user: p.username }), true);
    await refresh();
  } catch (e) {
    say(e.message);
  }
}

async function start() {
  const { lang, user } = await adminNav(document.querySelector("nav"), "people");
  state.lang = lang;
  state.me = user;
  document.documentElement.lang = lang;
  await load([lang], ["people"]);
  apply(document, lang);
  document.title = `Langelis – ${t(lang, "people.title")}`;
  $("add").addEventListener("submit", add);
  $("onetime-hide").addEventListener("click", () => {
    $("onetime").hidden = true;
    $("onetime-password").textContent = "";
  });
  await refresh();
  // A desk opened or closed changes where people work: read the list again.
  new Live({ onSnapshot: refresh, onEvent: (ev) => { if (ev.type?.startsWith("desk.")) refresh(); } }).start();
}

start();

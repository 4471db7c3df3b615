// A ticket from a phone (/take, the QR code on the office door): the same
// choices as the kiosk. The ticket opens on its status page, and the phone
// keeps a link to it (localStorage) for when the visitor comes back here,
// as long as the ticket is still in the queue, and the language chosen.
import { load, t, apply, LANGS } from "./i18n.js";
import { kioskNotice, loadEod } from "./eod.js";
import { serviceButtons, priorityButtons, languageButtons, opening, officeLangs, browserLang, issue, unavailable } from "./takeflow.js";

const $ = (id) => document.getElementById(id);
const KEY = "langelis.tickets";
const LANG_KEY = "langelis.lang";
const ACTIVE = ["waiting", "called", "serving"];
let lang = null;
let office = null;
let service = null;
let busy = false;
let group = null;
let asked = null; // the preview the end-of-day question shows

function kept() {
  try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch { return []; }
}

function keep(tk) {
  const today = kept().filter((x) => x.day === new Date().toDateString() && x.id !== tk.id);
  today.push({ id: tk.id, number: tk.number, url: tk.status_url, day: new Date().toDateString() });
  localStorage.setItem(KEY, JSON.stringify(today));
}

/** Drops the kept tickets that are no longer in the queue (given up,
 * served, closed at the day's end, or unknown): the list offers only
 * places that can still be followed. */
async function prune() {
  const mine = kept();
  const states = await Promise.all(mine.map(async (x) => {
    try {
      const r = await fetch(`/api/v1/tickets/${encodeURIComponent(x.id)}`, { cache: "no-store" });
      const body = await r.json().catch(() => null);
      if (body?.error?.code === "not_found") return false;
      if (!r.ok || !body) return true; // cannot tell now: keep it
      return ACTIVE.includes(body.status);
    } catch {
      return true;
    }
  }));
  const still = mine.filter((x, i) => states[i]);
  if (still.length !== mine.length) localStorage.setItem(KEY, JSON.stringify(still));
}

/** The language: the one a link names (?lang=), else the one this phone
 * chose here or on a ticket's page before, else the phone's own when the
 * office speaks it, else the office's first. */
function startLang() {
  const langs = officeLangs(office, LANGS);
  // A link from a ticket's page names the language it was read in.
  const asked = new URLSearchParams(location.search).get("lang");
  if (langs.includes(asked)) return asked;
  let saved = null;
  try { saved = localStorage.getItem(LANG_KEY); } catch { /* private mode */ }
  if (langs.includes(saved)) return saved;
  return browserLang(langs) || langs[0];
}

function setLang(l) {
  lang = l;
  try { localStorage.setItem(LANG_KEY, l); } catch { /* private mode */ }
  render();
}

function show(id) {
  $("start").hidden = id !== "start";
  $("priority").hidden = id !== "priority";
  $("ask").hidden = id !== "ask";
}

/** Where a ticket of the chosen service and group would stand, or null. */
async function preview() {
  const q = new URLSearchParams({ service, priority: group });
  try {
    const r = await fetch(`/api/v1/tickets/preview?${q}`, { cache: "no-store" });
    return r.ok ? await r.json() : null;
  } catch {
    return null;
  }
}

/** The end-of-day question, in the kiosk's words (eod.js). */
function renderAsk() {
  const n = asked && kioskNotice(lang, asked, office);
  if (!n) return;
  $("ask").dataset.action = n.action;
  $("ask-title").textContent = n.title;
  $("ask-text").textContent = n.text;
  $("ask-take").hidden = !n.take;
  $("ask-take").textContent = n.take || "";
  $("ask-back").textContent = n.back;
}

function render() {
  apply(document, lang);
  languageButtons($("langs"), officeLangs(office, LANGS), lang, setLang);
  if (office) serviceButtons($("services"), office, lang, (s) => { service = s; show("priority"); });
  priorityButtons($("groups"), lang, pick);
  const closed = office && !office.open_now;
  $("closed").hidden = !closed;
  if (closed) {
    $("closed").textContent = office.next_opening
      ? t(lang, "kiosk.closed", { when: opening(office.next_opening, office, lang) })
      : t(lang, "kiosk.closed.unknown");
  }
  const mine = kept().filter((x) => x.day === new Date().toDateString());
  $("mine").hidden = mine.length === 0;
  $("mine-list").replaceChildren(...mine.map((x) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = x.url;
    a.textContent = `${x.number}: ${t(lang, "take.follow")}`;
    li.append(a);
    return li;
  }));
  renderAsk();
  document.querySelectorAll("#services button, #groups button, #ask-take").forEach((b) => { b.disabled = busy || !office || closed; });
}

/** A group (or No) was chosen: as on the kiosk, ask the server where such
 * a ticket would stand, and near closing let the visitor choose (warn) or
 * say why there is none (stop) before issuing. */
async function pick(g) {
  if (busy) return;
  group = g;
  busy = true;
  render();
  const pv = await preview();
  busy = false;
  if (pv && kioskNotice(lang, pv, office)) {
    if (pv.action === "closed") { await loadOffice(); show("start"); render(); return; }
    asked = pv;
    show("ask");
    render();
    return;
  }
  await take();
}

async function take() {
  if (busy) return;
  busy = true;
  asked = null;
  render();
  const r = await issue({ service, priority: group, lang, channel: "phone" });
  busy = false;
  $("error").hidden = true;
  if (r.ok) {
    keep(r.body);
    location.href = r.body.status_url;
    return;
  }
  show("start");
  if (r.status === 0 || r.status >= 502) {
    $("offline").textContent = t(lang, "offline");
    $("offline").hidden = false;
  } else if (r.body?.error?.code === "too_many" && r.body.error.message) {
    $("error").textContent = r.body.error.message; // already in the visitor's language
    $("error").hidden = false;
  } else if (r.body?.error?.code === "office_closed") {
    await loadOffice();
  } else {
    // The server says why (a daily cap, the end of the day) in the
    // visitor's language: the request carried it.
    $("error").textContent = r.body?.error?.message || t(lang, "kiosk.error");
    $("error").hidden = false;
  }
  render();
}

async function loadOffice() {
  try {
    office = await (await fetch("/api/v1/office", { cache: "no-store" })).json();
    $("offline").hidden = true;
  } catch {
    $("offline").textContent = t(lang, "offline");
    $("offline").hidden = false;
    setTimeout(() => loadOffice().then(render), 5000);
  }
}

async function main() {
  await load(LANGS, ["kiosk", "priority", "visitor"]);
  await loadEod(LANGS).catch(() => {});
  $("back").addEventListener("click", () => show("start"));
  $("ask-back").addEventListener("click", () => { asked = null; show("start"); });
  $("ask-take").addEventListener("click", () => take());
  await Promise.all([loadOffice(), prune()]);
  lang = startLang();
  render();
  // The opening hours pass without any event: look again each minute.
  setInterval(() => loadOffice().then(render), 60000);
}

main().catch(() => unavailable("page"));

// A ticket from a phone (/take, the QR code on the office door): the same
// choices as the kiosk. The ticket opens on its status page, and the phone
// keeps a link to it (localStorage) for when the visitor comes back here.
import { load, t, apply, LANGS } from "./i18n.js";
import { serviceButtons, priorityButtons, languageButtons, opening, issue, unavailable } from "./takeflow.js";

const $ = (id) => document.getElementById(id);
const KEY = "langelis.tickets";
let lang = LANGS.find((l) => navigator.language?.startsWith(l)) || "lt";
let office = null;
let service = null;
let busy = false;

function kept() {
  try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch { return []; }
}

function keep(tk) {
  const today = kept().filter((x) => x.day === new Date().toDateString() && x.id !== tk.id);
  today.push({ id: tk.id, number: tk.number, url: tk.status_url, day: new Date().toDateString() });
  localStorage.setItem(KEY, JSON.stringify(today));
}

function show(id) {
  $("start").hidden = id !== "start";
  $("priority").hidden = id !== "priority";
}

function render() {
  apply(document, lang);
  languageButtons($("langs"), LANGS, lang, (l) => { lang = l; render(); });
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
  document.querySelectorAll("#services button, #groups button").forEach((b) => { b.disabled = busy || !office || closed; });
}

async function pick(group) {
  if (busy) return;
  busy = true;
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
  await load(LANGS, ["kiosk"]);
  $("back").addEventListener("click", () => show("start"));
  await loadOffice();
  render();
}

main().catch(() => unavailable("page"));

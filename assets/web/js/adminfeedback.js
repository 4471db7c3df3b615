// /admin/feedback: the complaints, suggestions and thanks registered on
// the public form, newest first, with their age in working days of the
// office's calendar against the answer target (overdue ones marked); the
// admin moves one through registered, being handled and answered with a
// note, and exports them all (CSV, XLSX) for the document system.
import { adminNav, api } from "./adminnav.js";
import { t, load, serviceName, dateText } from "./i18n.js";

const $ = (id) => document.getElementById(id);
let lang = "lt";
let tz = "Europe/Vilnius";
let entries = [];
let chosen = null; // the registration being moved
let office = null;

function fmt(iso) {
  return new Intl.DateTimeFormat(lang, { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
  return td;
}

function render(data) {
  entries = data.entries;
  $("intro").textContent = t(lang, "admin.fb.intro", { days: data.target_working_days });
  const open = entries.filter((e) => e.status !== "answered").length;
  const overdue = entries.filter((e) => e.overdue).length;
  $("summary").textContent = `${t(lang, "admin.fb.open", { n: open })} · ${t(lang, "admin.fb.overdue_n", { n: overdue })}`;
  $("csv").href = `/api/v1/admin/feedback.csv?lang=${lang}`;
  $("xlsx").href = `/api/v1/admin/feedback.xlsx?lang=${lang}`;
  $("none").hidden = entries.length > 0;
  $("list").hidden = entries.length === 0;
  $("list").querySelector("tbody").replaceChildren(...entries.map((e) => {
    const tr = document.createElement("tr");
    tr.dataset.id = e.id;
    if (e.overdue) tr.className = "overdue";
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = e.id;
    tr.append(th);
    cell(tr, fmt(e.registered));
    cell(tr, t(lang, `admin.fb.kind.${e.kind}`));
    const status = cell(tr, t(lang, `admin.fb.status.${e.status}`), "status");
    // The latest note under the status: what was last done or answered,
    // without opening the export.
    const note = (e.history || []).findLast((h) => h.note)?.note;
    if (note) {
      const p = document.createElement("p");
      p.className = "note";
      p.textContent = note;
      status.append(p);
    }
    const age = cell(tr, t(lang, "admin.fb.age", { n: e.age_working_days }), "age");
    if (e.overdue) {
      const b = document.createElement("span");
      b.className = "badge";
      b.textContent = t(lang, "admin.fb.overdue");
      age.append(b);
    }
    cell(tr, dateText(lang, e.due));
    cell(tr, e.ticket || "");
    if (e.purged) cell(tr, t(lang, "admin.fb.purged"), "text purged");
    else cell(tr, e.text, "text");
    cell(tr, e.contact || (e.purged ? "" : t(lang, "admin.fb.no_contact")), e.contact ? "" : "purged");
    const act = document.createElement("td");
    act.className = "actions";
    const b = document.createElement("button");
    b.type = "button";
    b.className = "move";
    b.textContent = t(lang, "admin.fb.move");
    b.setAttribute("aria-label", `${t(lang, "admin.fb.move")}: ${e.id}`);
    b.addEventListener("click", () => choose(e));
    act.append(b);
    tr.append(act);
    return tr;
  }));
}

function choose(e) {
  chosen = e;
  $("move").hidden = false;
  $("move-title").textContent = `${e.id} · ${t(lang, `admin.fb.kind.${e.kind}`)}`;
  $("move-status").value = e.status === "registered" ? "handling" : e.status;
  $("move-note").value = "";
  $("saved").textContent = "";
  $("move-status").focus();
}

async function refresh() {
  try {
    render(await api("GET", "/api/v1/admin/feedback", undefined, lang));
    $("error").textContent = "";
  } catch (x) {
    $("error").textContent = x.message;
  }
}

async function save(ev) {
  ev.preventDefault();
  if (!chosen) return;
  const status = $("move-status").value;
  try {
    await api("POST", `/api/v1/admin/feedback/${encodeURIComponent(chosen.id)}/status`, { status, note: $("move-note").value }, lang);
    $("error").textContent = "";
    $("saved").textContent = t(lang, "admin.fb.saved", { id: chosen.id, status: t(lang, `admin.fb.status.${status}`) });
    $("move").hidden = true;
    chosen = null;
    await refresh();
  } catch (x) {
    $("error").textContent = x.message;
  }
}

/** The comments visitors wrote after service (GET /api/v1/admin/ratings):
 * the manager reads what the faces alone do not say. */
async function comments() {
  const data = await api("GET", "/api/v1/admin/ratings", undefined, lang);
  const since = new Intl.DateTimeFormat(lang, { timeZone: tz, year: "numeric", month: "long", day: "numeric" })
    .format(new Date(`${data.since}T12:00:00Z`));
  $("comments-intro").textContent = t(lang, "admin.fb.comments.intro", { since });
  $("comments-none").hidden = data.comments.length > 0;
  $("comments-list").hidden = data.comments.length === 0;
  $("comments-list").querySelector("tbody").replaceChildren(...data.comments.map((c) => {
    const tr = document.createElement("tr");
    tr.className = `face-${c.face}`;
    cell(tr, fmt(c.at));
    cell(tr, c.number);
    cell(tr, serviceName(office, c.service, lang));
    cell(tr, String(c.desk));
    cell(tr, t(lang, `rep.col.face${c.face}`), "face");
    cell(tr, c.comment, "text");
    return tr;
  }));
}

async function main() {
  const nav = await adminNav(document.querySelector("nav"), "feedback");
  lang = nav.lang;
  tz = nav.office?.time_zone || tz;
  office = nav.office;
  await load([lang], ["feedback", "reports"]);
  // The admin area's words are in; the page's own now too.
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(lang, el.dataset.i18n); });
  $("move").addEventListener("submit", save);
  await refresh();
  await comments().catch((x) => { $("error").textContent = x.message; });
  document.body.dataset.ready = "1";
}

main();

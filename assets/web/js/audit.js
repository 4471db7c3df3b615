// /admin/audit: every desk action and every configuration and account
// change, filtered by day, who, desk and kind, and as a CSV file. The
// server leaves out everything about a visitor but the ticket number.
import { adminNav, api } from "./adminnav.js";
import { load, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const KINDS = ["", "ticket.", "desk.", "service.", "hours.", "holiday.", "exception.", "rules.", "user.", "session.", "config."];

let lang = "lt";
let tz = "Europe/Vilnius";

function query() {
  const q = new URLSearchParams();
  for (const k of ["from", "to", "actor", "desk", "kind"]) {
    const v = $(k).value.trim();
    if (v) q.set(k, v);
  }
  return q;
}

// kindText is a row's kind in words (assets/web/i18n/audit, "audit.kind.<kind>");
// a kind without a text yet shows as its code, never as the key.
function kindText(kind) {
  const key = `audit.kind.${kind}`;
  const s = t(lang, key);
  return s === key ? kind : s;
}

function fmtTime(iso) {
  return new Intl.DateTimeFormat(lang, { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date(iso));
}

// subjectText is what a row is about, in words: the log keeps "desk 3",
// "service B", "holiday 2026-12-24", "hours" in one form for the CSV and
// for programs; the page says them in its language ("audit.subject.<what>").
// A ticket number, or a subject without a text yet, shows as it is.
function subjectText(subject) {
  const m = /^(desk|service|holiday|exception|user|webhook) (.+)$/.exec(subject || "");
  const key = m ? `audit.subject.${m[1]}` : `audit.subject.${String(subject).replaceAll(" ", "_")}`;
  const s = t(lang, key, { id: m ? m[2] : "" });
  return s === key ? subject : s;
}

async function show() {
  const q = query();
  // The CSV keeps the raw kinds ("ticket.called"): machines read it, and
  // the codes are the same in every language.
  $("csv").href = `/api/v1/admin/audit?${q}&format=csv`;
  try {
    const rows = await api("GET", `/api/v1/admin/audit?${q}`, undefined, lang);
    $("error").textContent = "";
    $("count").textContent = t(lang, "admin.audit.count", { n: rows.length });
    $("audit").querySelector("tbody").replaceChildren(...rows.slice().reverse().map((r) => {
      const tr = document.createElement("tr");
      for (const v of [fmtTime(r.at), r.actor, kindText(r.kind), r.desk ? String(r.desk) : "", subjectText(r.subject), r.detail || ""]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.append(td);
      }
      return tr;
    }));
  } catch (e) {
    $("error").textContent = e.message;
  }
}

async function main() {
  const nav = await adminNav(document.querySelector("nav"), "audit");
  lang = nav.lang;
  await load([lang], ["audit"]);
  tz = nav.office.time_zone || tz;
  document.title = `Langelis – ${t(lang, "admin.audit.title")}`;
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date(nav.office.now || Date.now()));
  $("from").value = today;
  $("to").value = today;
  for (const k of KINDS) {
    const o = document.createElement("option");
    o.value = k;
    o.textContent = k ? t(lang, `admin.audit.kind.${k.slice(0, -1)}`) : t(lang, "admin.audit.kind.all");
    $("kind").append(o);
  }
  $("filter").addEventListener("submit", (ev) => { ev.preventDefault(); show(); });
  await show();
  document.body.dataset.ready = "1";
}

main().catch((e) => { $("error").textContent = e.message; });

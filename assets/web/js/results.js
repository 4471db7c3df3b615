// /results: the published monthly results. Public; reads
// GET /api/v1/results (the same daily figures as /admin/reports) and
// shows them in the chosen language, with each language's plurals.
import { LANGS, load, t, apply, useOffice } from "./i18n.js";
import { startLang } from "./takeflow.js";

const $ = (id) => document.getElementById(id);
const state = { lang: document.documentElement.lang, data: null }; // the office's first language, which the server wrote into the page

function num(lang, v, digits = 1) {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(v);
}

function monthName(lang, ym) {
  const [y, m] = ym.split("-").map(Number);
  const s = new Intl.DateTimeFormat(lang, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function row(dl, label, value, sub, notMeasured) {
  const dt = document.createElement("dt");
  dt.textContent = label;
  const dd = document.createElement("dd");
  dd.textContent = value;
  if (notMeasured) dd.className = "nm";
  if (sub) {
    const s = document.createElement("span");
    s.className = "sub";
    s.textContent = sub;
    dd.append(s);
  }
  dl.append(dt, dd);
}

function render() {
  const lang = state.lang;
  apply(document, lang);
  document.title = t(lang, "res.title");
  const d = state.data;
  if (!d) return;
  $("intro").textContent = t(lang, "res.intro", { office: d.office });
  $("fb-link").href = `/feedback?lang=${lang}`;
  const box = $("months");
  box.replaceChildren();
  $("none").hidden = d.months.length > 0;
  const min = (v) => (v == null ? "–" : t(lang, "res.minutes", { v: num(lang, v) }));
  const pct = (v) => (v == null ? "–" : t(lang, "res.pct", { v: num(lang, v) }));
  for (const m of d.months) {
    const sec = document.createElement("section");
    sec.className = "month";
    const h = document.createElement("h2");
    h.textContent = monthName(lang, m.month);
    const days = document.createElement("p");
    days.className = "days";
    days.textContent = t(lang, "res.days", { n: m.days });
    const dl = document.createElement("dl");
    row(dl, t(lang, "res.served"), num(lang, m.served, 0));
    row(dl, t(lang, "res.wait_median"), min(m.wait_median_min));
    row(dl, t(lang, "res.wait_p90"), min(m.wait_p90_min));
    // The services' targets, e.g. "target: 10 or 15 minutes": the plural
    // follows the last number, as it is read.
    const tw = m.target_wait_min;
    const targets = tw.length ? t(lang, "res.sl.target", { n: tw[tw.length - 1], list: tw.map((n) => num(lang, n)).join(" / ") }) : "";
    row(dl, t(lang, "res.sl"), pct(m.service_level_pct), targets);
    row(dl, t(lang, "res.est", { n: m.estimate_within_min }), pct(m.estimate_within_pct));
    if (m.satisfaction) {
      row(dl, t(lang, "res.satisfaction"), pct(m.satisfaction.good_pct),
        t(lang, "res.satisfied.n", { pct: pct(m.satisfaction.good_pct), n: m.satisfaction.n }));
    } else {
      row(dl, t(lang, "res.satisfaction"), t(lang, "res.not_measured"), "", true);
    }
    // Complaints registered in the month, and how many of them were
    // answered within the answer target (working days of the office).
    const c = m.complaints;
    if (c) {
      const sub = c.answered > 0
        ? t(lang, "res.complaints.sub", { n: c.answered, on: num(lang, c.answered_on_time, 0), days: c.target_working_days })
        : (c.registered > 0 ? t(lang, "res.complaints.none_answered") : "");
      row(dl, t(lang, "res.complaints"), num(lang, c.registered, 0), sub);
      row(dl, t(lang, "res.suggestions"), num(lang, c.suggestions + c.thanks, 0));
    } else {
      row(dl, t(lang, "res.complaints"), t(lang, "res.not_measured"), "", true);
    }
    sec.append(h, days, dl);
    box.append(sec);
  }
}

async function fetchResults() {
  const r = await fetch(`/api/v1/results?lang=${state.lang}`, { headers: { "Accept-Language": state.lang } });
  const body = await r.json();
  if (!r.ok) throw new Error(body?.error?.message || String(r.status));
  state.data = body;
}

async function main() {
  const office = await (await fetch("/api/v1/office")).json();
  const { langs, first } = useOffice(office);
  const asked = new URLSearchParams(location.search).get("lang");
  // As /take and /book: a link's ?lang=, else the one chosen before, else
  // the browser's, else the office's first.
  state.lang = LANGS.includes(asked) ? asked : startLang(langs) || first;
  await load(LANGS, ["results"]);
  const sel = $("lang");
  // The office's languages in its order, named as on its other visitor
  // pages (/take, /book, the kiosk, the status page), and a language a
  // link asked for after them.
  for (const l of langs.includes(state.lang) ? langs : [...langs, state.lang]) {
    sel.append(new Option(t(l, "lang.name"), l));
  }
  sel.value = state.lang;
  sel.addEventListener("change", async () => {
    state.lang = sel.value;
    const u = new URL(location.href);
    u.searchParams.set("lang", state.lang);
    history.replaceState(null, "", u);
    await fetchResults();
    render();
  });
  $("print").addEventListener("click", () => window.print());
  try {
    await fetchResults();
  } catch (e) {
    $("msg").textContent = e.message;
  }
  render();
  document.body.dataset.ready = "1";
}

main();

// /admin: the running configuration (services, desks, hours, rules) and
// how it differs from the office file. Every form sends one change; the
// server validates it with the office file's validator, applies it to the
// running hall and answers the recorded change, whose "effective" says
// when it takes effect. Refusals are the server's words, in the admin's
// language.
import { adminNav, api } from "./adminnav.js";
import { t, load } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const TABS = ["services", "desks", "hours", "rules", "file"];

let lang = "lt";
let langs = [];
let view = null; // GET /api/v1/admin/config
let editing = { service: null, desk: null };

function el(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  e.append(...kids);
  return e;
}

function say(msg) { $("error").textContent = ""; $("done").textContent = msg; }
function fail(e) { $("done").textContent = ""; $("error").textContent = e.message || String(e); }

/** The words for when a change takes effect. */
function when(ch) {
  return !ch.effective || ch.effective === "now" ? t(lang, "admin.effective.now") : t(lang, "admin.effective.day", { date: ch.effective });
}

/** Sends one change; on success says what changed and when, and redraws. */
async function change(method, path, body, doneKey, vars) {
  try {
    const ch = await api(method, path, body === undefined ? undefined : { ...body, lang }, lang);
    await refresh();
    say(`${t(lang, doneKey, vars)} ${when(ch)}`);
    return true;
  } catch (e) {
    fail(e);
    return false;
  }
}

// A service in the admin's language, else the office's first.
function serviceName(s) { return s.names[lang] || s.names[langs[0]] || Object.values(s.names)[0] || s.letter; }

// ---- tabs ----

function showTab(name) {
  if (!TABS.includes(name)) name = "services";
  for (const n of TABS) {
    $(`tab-${n}`).setAttribute("aria-selected", String(n === name));
    $(`tab-${n}`).tabIndex = n === name ? 0 : -1;
    $(`panel-${n}`).hidden = n !== name;
  }
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

// ---- services ----

function renderServices() {
  const o = view.running;
  const body = $("services").querySelector("tbody");
  body.replaceChildren(...o.services.map((s) => el("tr", {},
    el("td", { text: s.letter }),
    el("td", {}, ...langs.filter((l) => s.names[l]).map((l, i) => el(i ? "div" : "b", { text: `${l.toUpperCase()}: ${s.names[l]}` }))),
    el("td", { text: String(s.target_minutes) }),
    el("td", { text: String(s.target_wait_minutes || 15) }),
    el("td", { text: s.daily_cap ? String(s.daily_cap) : "–" }),
    el("td", {}, ...(s.colour ? [el("span", { class: "swatch", style: `background:${s.colour}` }), s.colour] : ["–"])),
    el("td", { class: "actions" },
      el("button", { type: "button", id: `svc-edit-${s.letter}`, text: t(lang, "admin.edit"), "aria-label": t(lang, "admin.service.edit", { letter: s.letter }), onclick: () => editService(s) }),
      el("button", { type: "button", class: "danger", id: `svc-retire-${s.letter}`, text: t(lang, "admin.retire"), "aria-label": t(lang, "admin.service.retire", { letter: s.letter }),
        onclick: () => { if (confirm(t(lang, "admin.service.retire.ask", { letter: s.letter, name: serviceName(s) }))) change("POST", `/api/v1/admin/services/${s.letter}/retire`, {}, "admin.service.retired", { letter: s.letter }); } })))));
  $("services").querySelector("caption").textContent = t(lang, "admin.services.caption");
  const names = $("svc-names");
  if (!names.childElementCount) {
    for (const l of langs) {
      names.append(el("label", {}, el("span", { text: t(lang, "admin.service.name", { lang: l.toUpperCase() }) }),
        el("input", { id: `svc-name-${l}`, name: `name-${l}`, size: "22", ...(l === langs[0] ? { required: "" } : {}) })));
    }
  }
  const retired = o.retired_services || [];
  $("retired-services").textContent = retired.length
    ? retired.map((s) => `${s.letter} – ${serviceName(s)}`).join("; ") + ". " + t(lang, "admin.services.retired.note")
    : t(lang, "admin.none");
}

function editService(s) {
  editing.service = s.letter;
  $("svc-letter").value = s.letter;
  $("svc-letter").readOnly = true;
  for (const l of langs) $(`svc-name-${l}`).value = s.names[l] || "";
  $("svc-target").value = s.target_minutes;
  $("svc-target-wait").value = s.target_wait_minutes || 15;
  $("svc-cap").value = s.daily_cap || "";
  $("svc-colour").value = s.colour || "";
  $("service-form-title").textContent = t(lang, "admin.service.editing", { letter: s.letter });
  $("svc-save").textContent = t(lang, "admin.save");
  $("svc-cancel").hidden = false;
  $(`svc-name-${langs[0]}`).focus();
}

function resetServiceForm() {
  editing.service = null;
  $("service-form").reset();
  $("svc-letter").readOnly = false;
  $("service-form-title").textContent = t(lang, "admin.service.add");
  $("svc-save").textContent = t(lang, "admin.add");
  $("svc-cancel").hidden = true;
}

async function saveService(ev) {
  ev.preventDefault();
  const names = {};
  for (const l of langs) names[l] = $(`svc-name-${l}`).value;
  const num = (id) => ($(id).value.trim() === "" ? 0 : Number($(id).value));
  const body = { letter: $("svc-letter").value.trim(), names, target_minutes: num("svc-target"), target_wait_minutes: num("svc-target-wait"), daily_cap: num("svc-cap"), colour: $("svc-colour").value.trim() };
  const ok = editing.service
    ? await change("PUT", `/api/v1/admin/services/${editing.service}`, body, "admin.service.changed", { letter: editing.service })
    : await change("POST", "/api/v1/admin/services", body, "admin.service.added", { letter: body.letter });
  if (ok) resetServiceForm();
}

// ---- desks ----

function renderDesks() {
  const o = view.running;
  $("desks").querySelector("tbody").replaceChildren(...o.desks.map((d) => el("tr", {},
    el("td", { text: String(d.number) }),
    el("td", { text: d.services.map((l) => { const s = o.services.find((x) => x.letter === l); return s ? `${l} – ${serviceName(s)}` : l; }).join(", ") }),
    el("td", { class: "actions" },
      el("button", { type: "button", id: `desk-edit-${d.number}`, text: t(lang, "admin.edit"), "aria-label": t(lang, "admin.desk.edit", { n: d.number }), onclick: () => editDesk(d) }),
      el("button", { type: "button", class: "danger", id: `desk-retire-${d.number}`, text: t(lang, "admin.retire"), "aria-label": t(lang, "admin.desk.retire", { n: d.number }),
        onclick: () => { if (confirm(t(lang, "admin.desk.retire.ask", { n: d.number }))) change("POST", `/api/v1/admin/desks/${d.number}/retire`, {}, "admin.desk.retired", { n: d.number }); } })))));
  const box = $("desk-services");
  const checked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
  box.replaceChildren(el("legend", { text: t(lang, "admin.desk.services") }), ...o.services.map((s) => el("label", {},
    el("input", { type: "checkbox", id: `desk-svc-${s.letter}`, value: s.letter, ...(checked.has(s.letter) ? { checked: "" } : {}) }), `${s.letter} – ${serviceName(s)}`)));
  const retired = o.retired_desks || [];
  $("retired-desks").textContent = retired.length ? t(lang, "admin.desks.retired", { list: retired.join(", ") }) : "";
}

function editDesk(d) {
  editing.desk = d.number;
  $("desk-number").value = d.number;
  $("desk-number").readOnly = true;
  for (const i of $("desk-services").querySelectorAll("input")) i.checked = d.services.includes(i.value);
  $("desk-form-title").textContent = t(lang, "admin.desk.editing", { n: d.number });
  $("desk-save").textContent = t(lang, "admin.save");
  $("desk-cancel").hidden = false;
}

function resetDeskForm() {
  editing.desk = null;
  $("desk-form").reset();
  $("desk-number").readOnly = false;
  for (const i of $("desk-services").querySelectorAll("input")) i.checked = false;
  $("desk-form-title").textContent = t(lang, "admin.desk.add");
  $("desk-save").textContent = t(lang, "admin.add");
  $("desk-cancel").hidden = true;
}

async function saveDesk(ev) {
  ev.preventDefault();
  const services = [...$("desk-services").querySelectorAll("input:checked")].map((i) => i.value);
  const number = Number($("desk-number").value);
  const ok = editing.desk
    ? await change("PUT", `/api/v1/admin/desks/${editing.desk}`, { number, services }, "admin.desk.changed", { n: editing.desk })
    : await change("POST", "/api/v1/admin/desks", { number, services }, "admin.desk.added", { n: number });
  if (ok) resetDeskForm();
}

// ---- hours ----

function renderHours() {
  const o = view.running;
  const form = $("week-form");
  if (!form.childElementCount) {
    for (const d of WEEK) {
      form.append(el("label", { for: `week-${d}`, text: t(lang, `admin.weekday.${d}`) }), el("input", { id: `week-${d}`, name: d, size: "24" }));
    }
    form.append(el("button", { type: "submit", class: "primary", id: "week-save", text: t(lang, "admin.hours.save") }));
  }
  // A closed day is an empty field that says so in the page's language;
  // "closed" is the API's word, not the manager's.
  for (const d of WEEK) {
    $(`week-${d}`).value = view.week[d] === "closed" ? "" : view.week[d];
    $(`week-${d}`).placeholder = t(lang, "admin.closed");
  }
  const hol = Object.keys(o.hours.holidays || {}).sort();
  $("holidays").replaceChildren(...(hol.length ? hol.map((d) => el("li", {}, d,
    el("button", { type: "button", id: `holiday-remove-${d}`, text: "×", "aria-label": t(lang, "admin.holiday.remove", { date: d }),
      onclick: () => change("DELETE", `/api/v1/admin/holidays/${d}`, undefined, "admin.holiday.removed", { date: d }) }))) : [el("li", { text: t(lang, "admin.none") })]));
  const ex = Object.entries(o.hours.exceptions || {}).sort(([a], [b]) => a.localeCompare(b));
  $("exceptions").replaceChildren(...(ex.length ? ex.map(([d, spans]) => el("li", {}, `${d}: ${spansText(spans)}`,
    el("button", { type: "button", id: `exception-remove-${d}`, text: "×", "aria-label": t(lang, "admin.exception.remove", { date: d }),
      onclick: () => change("DELETE", `/api/v1/admin/exceptions/${d}`, undefined, "admin.exception.removed", { date: d }) }))) : [el("li", { text: t(lang, "admin.none") })]));
  renderCalendar();
}

function spansText(spans) {
  if (!spans || !spans.length) return t(lang, "admin.closed");
  const hm = (m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return spans.map((s) => `${hm(s.start)}–${hm(s.end)}`).join(", ");
}

/** The next 8 weeks, Monday first: what the kiosk does each day. */
function renderCalendar() {
  const head = $("calendar").querySelector("thead");
  head.replaceChildren(el("tr", {}, ...WEEK.map((d) => el("th", { scope: "col", text: t(lang, `admin.weekday.${d}`) }))));
  const days = view.calendar;
  const first = new Date(`${days[0].date}T12:00:00Z`);
  const pad = (first.getUTCDay() + 6) % 7; // Monday = 0
  const cells = [...Array(pad).fill(null), ...days];
  const rows = [];
  for (let i = 0; i < cells.length; i += 7) {
    rows.push(el("tr", {}, ...cells.slice(i, i + 7).map((d) => {
      if (!d) return el("td", {});
      const cls = [d.open ? "" : "closed", d.source === "week" ? "" : d.source, d.date === view.today ? "today" : ""].filter(Boolean).join(" ");
      const what = d.source === "holiday" ? t(lang, "admin.calendar.holiday")
        : d.open ? t(lang, "admin.calendar.issues", { hours: d.hours.replaceAll("-", "–") }) : t(lang, "admin.calendar.closed");
      return el("td", { class: cls, "data-date": d.date }, el("b", { text: d.date.slice(5) }), what);
    })));
  }
  $("calendar").querySelector("tbody").replaceChildren(...rows);
}

/** hoursValue is a day's hours field as the API takes it: empty, or the
 * page's own word for closed ("nedirba", "закрыто"), is "closed". */
function hoursValue(v) {
  v = v.trim();
  return !v || v.toLowerCase() === t(lang, "admin.closed").toLowerCase() ? "closed" : v;
}

async function saveWeek(ev) {
  ev.preventDefault();
  const week = {};
  for (const d of WEEK) week[d] = hoursValue($(`week-${d}`).value);
  await change("PUT", "/api/v1/admin/hours", { week }, "admin.hours.changed");
}

// ---- rules ----

const RULES = [
  ["policy", "priority.policy", "select", ["default", "fifo", "strict", "ratio", "aging"]],
  ["max_streak", "priority.max_streak", "int"],
  ["max_wait_minutes", "priority.max_wait_minutes", "num"],
  ["head_start_minutes", "priority.head_start_minutes", "num"],
  ["ratio", "priority.ratio", "int"],
  ["aging_factor", "priority.aging_factor", "num"],
  ["recall_limit", "recall_limit", "int"],
  ["notice_minutes", "notice_minutes", "int"],
  ["day_end_minutes", "day_end_minutes", "int"],
  ["beyond_cutoff", "beyond_cutoff", "select", ["warn", "stop"]],
  ["retention_days", "retention_days", "int"],
  ["audit_retention_days", "audit_retention_days", "int"],
  ["second_language", "second_language", "select", null],
];

function getPath(o, path) { return path.split(".").reduce((x, k) => x?.[k], o); }

function renderRules() {
  const r = view.rules;
  const form = $("rules-form");
  if (!form.childElementCount) {
    for (const [id, , kind, choices] of RULES) {
      let input;
      if (kind === "select") {
        // The second language is one of the office's others: the list of
        // languages the kiosk offers stays as it is, in a new order.
        const opts = id === "second_language" ? r.languages.slice(1) : choices;
        input = el("select", { id: `rule-${id}` }, ...opts.map((c) => el("option", { value: c, text: id === "second_language" ? c.toUpperCase() : t(lang, `admin.rule.${id}.${c}`) })));
      } else {
        input = el("input", { id: `rule-${id}`, type: "number", step: kind === "int" ? "1" : "any" });
      }
      form.append(el("label", {}, el("span", { text: t(lang, `admin.rule.${id}`) }), input));
    }
    form.append(el("button", { type: "submit", class: "primary", id: "rules-save", text: t(lang, "admin.rules.save") }));
  }
  for (const [id, path] of RULES) {
    $(`rule-${id}`).value = id === "second_language" ? (r.languages[1] || "") : String(getPath(r, path));
  }
}

async function saveRules(ev) {
  ev.preventDefault();
  const r = structuredClone(view.rules);
  for (const [id, path, kind] of RULES) {
    if (id === "second_language") continue;
    const v = $(`rule-${id}`).value;
    const keys = path.split(".");
    const obj = keys.length > 1 ? r[keys[0]] : r;
    obj[keys.at(-1)] = kind === "select" ? v : Number(v);
  }
  const second = $("rule-second_language").value;
  const first = r.languages[0];
  if (second) r.languages = [first, second, ...r.languages.filter((l) => l !== first && l !== second)];
  await change("PUT", "/api/v1/admin/rules", r, "admin.rules.changed");
}

// ---- the file ----

function renderFile() {
  const d = view.diff || [];
  $("same").hidden = d.length > 0;
  $("diff").hidden = d.length === 0;
  $("diff").querySelector("tbody").replaceChildren(...d.map((x) => el("tr", {},
    el("td", { text: x.where }),
    el("td", { class: x.op === "-" ? "minus" : "", text: x.op === "-" ? x.line : "" }),
    el("td", { class: x.op === "+" ? "plus" : "", text: x.op === "+" ? x.line : "" }))));
  const banner = $("differs");
  banner.hidden = !view.differs;
  banner.replaceChildren(t(lang, "admin.differs", { n: d.length }), " ",
    el("a", { href: "#file", text: t(lang, "admin.differs.see"), onclick: () => showTab("file") }));
}

async function refresh() {
  view = await api("GET", "/api/v1/admin/config", undefined, lang);
  renderServices();
  renderDesks();
  renderHours();
  renderRules();
  renderFile();
}

async function main() {
  const nav = await adminNav(document.querySelector("nav"), "config");
  lang = nav.lang;
  langs = nav.langs;
  await load([lang], ["admin"]);
  document.title = `Langelis – ${t(lang, "admin.config.title")}`;
  for (const n of TABS) $(`tab-${n}`).addEventListener("click", () => showTab(n));
  $("tabs").addEventListener("keydown", (ev) => {
    const i = TABS.findIndex((n) => $(`tab-${n}`).getAttribute("aria-selected") === "true");
    const step = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
    if (step) { const n = TABS[(i + step + TABS.length) % TABS.length]; showTab(n); $(`tab-${n}`).focus(); }
  });
  $("service-form").addEventListener("submit", saveService);
  $("svc-cancel").addEventListener("click", resetServiceForm);
  $("desk-form").addEventListener("submit", saveDesk);
  $("desk-cancel").addEventListener("click", resetDeskForm);
  $("week-form").addEventListener("submit", saveWeek);
  $("holiday-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const date = $("holiday-date").value.trim();
    if (await change("POST", "/api/v1/admin/holidays", { date }, "admin.holiday.added", { date })) $("holiday-form").reset();
  });
  $("exception-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const date = $("exception-date").value.trim();
    if (await change("PUT", "/api/v1/admin/exceptions", { date, hours: hoursValue($("exception-hours").value) }, "admin.exception.saved", { date })) $("exception-form").reset();
  });
  $("rules-form").addEventListener("submit", saveRules);
  await refresh();
  showTab(location.hash.slice(1));
  document.body.dataset.ready = "1";
}

main().catch((e) => fail(e));

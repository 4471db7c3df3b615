// Booking a time (/book) and a booking's own page (/b/CODE): service →
// day → time → confirm, then the code, its QR code, the link to come back
// to, and the calendar file; from the booking's page the visitor moves or
// cancels it. Every word comes from the translation files (area "booking").
import { load, t, apply, LANGS, serviceName } from "./i18n.js";
import { serviceButtons, languageButtons, officeLangs, browserLang, clock } from "./takeflow.js";

const $ = (id) => document.getElementById(id);
const LANG_KEY = "langelis.lang";
const STEPS = ["service", "day", "time", "confirm", "done"];
let lang = null;
let office = null;
let step = "service";
let service = null;
let days = [];
let day = null;
let times = [];
let slot = null;
let booking = null;
let moving = false;
let busy = false;

const locale = () => (lang === "en" ? "en-GB" : lang);
const tz = () => office?.time_zone || "Europe/Vilnius";

/** "pirmadienis, gruodžio 1 d." for a YYYY-MM-DD. */
function dayText(d) {
  return new Date(`${d}T12:00:00Z`).toLocaleDateString(locale(), { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
}

/** The office's day of an instant. */
const dayOf = (iso) => new Date(iso).toLocaleDateString("en-CA", { timeZone: tz() });

const when = (iso) => `${dayText(dayOf(iso))}, ${clock(iso, office, lang)}`;

/** Calls the API in the visitor's language; a refusal throws its message. */
async function api(method, path, body) {
  const opt = { method, cache: "no-store", headers: { "Accept-Language": lang } };
  if (body) {
    opt.headers["Content-Type"] = "application/json";
    opt.body = JSON.stringify({ ...body, lang });
  }
  let r;
  try {
    r = await fetch(path, opt);
  } catch {
    throw new Error(t(lang, "book.offline"));
  }
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new Error(data?.error?.message || t(lang, "book.offline"));
  return data;
}

function say(err) {
  $("error").textContent = err ? err.message || String(err) : "";
  $("error").hidden = !err;
  if (err) $("error").scrollIntoView({ block: "nearest" });
}

function show(s) {
  step = s;
  for (const x of STEPS) $(`step-${x}`).hidden = x !== s;
  render();
}

/** Runs an action once at a time, showing what went wrong. */
async function act(fn) {
  if (busy) return;
  busy = true;
  say(null);
  try {
    await fn();
  } catch (err) {
    say(err);
  } finally {
    busy = false;
  }
}

async function pickService(letter) {
  await act(async () => {
    service = letter;
    days = await api("GET", `/api/v1/booking/days?service=${encodeURIComponent(letter)}&lang=${lang}`);
    show("day");
  });
}

async function pickDay(d) {
  await act(async () => {
    day = d;
    times = await api("GET", `/api/v1/booking/slots?service=${encodeURIComponent(service)}&day=${d}&lang=${lang}`);
    show("time");
  });
}

function pickTime(s) {
  slot = s;
  show("confirm");
}

async function confirm() {
  await act(async () => {
    if (moving) {
      booking = await api("POST", `/api/v1/bookings/${booking.code}/move`, { start: slot.start });
      $("info").textContent = t(lang, "book.moved");
      $("info").hidden = false;
    } else {
      const contact = $("contact").value.trim();
      booking = await api("POST", "/api/v1/bookings", { service, start: slot.start, ...(contact ? { contact } : {}) });
    }
    moving = false;
    history.replaceState(null, "", booking.url);
    show("done");
  });
}

async function cancel() {
  await act(async () => {
    booking = await api("POST", `/api/v1/bookings/${booking.code}/cancel`);
    $("cancel-ask").hidden = true;
    $("info").hidden = true; // "the time is changed" was about the booking before
    show("done");
  });
}

function startMove() {
  moving = true;
  $("info").hidden = true;
  pickService(booking.service);
}

function dayButtons() {
  const el = $("days");
  el.replaceChildren();
  for (const d of days) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.day = d.day;
    b.disabled = !d.open;
    b.textContent = dayText(d.day);
    if (!d.open) {
      const s = document.createElement("small");
      s.textContent = t(lang, "book.day_full");
      b.append(s);
    }
    b.addEventListener("click", () => pickDay(d.day));
    el.append(b);
  }
  if (!days.some((d) => d.open)) {
    const p = document.createElement("p");
    p.textContent = t(lang, "book.no_days");
    el.append(p);
  }
}

function timeButtons() {
  const el = $("times");
  el.replaceChildren();
  for (const s of times) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.start = s.start;
    b.textContent = clock(s.start, office, lang);
    b.addEventListener("click", () => pickTime(s));
    el.append(b);
  }
  if (!times.length) {
    const p = document.createElement("p");
    p.textContent = t(lang, "book.day_full");
    el.append(p);
  }
}

function doneView() {
  const b = booking;
  const from = clock(b.check_in_from, office, lang);
  const until = clock(b.check_in_until, office, lang);
  const ahead = b.status === "booked";
  $("done-h").textContent = ahead ? t(lang, "book.done_title") : t(lang, `book.status.${b.status}`, { number: b.number || "" });
  $("done-summary").textContent = `${serviceName(office, b.service, lang)}: ${when(b.start)}`;
  $("code").textContent = b.display;
  $("code").classList.toggle("void", !ahead);
  $("qr").src = b.qr_url;
  $("qr").alt = `${t(lang, "book.code")} ${b.display}`;
  $("qr").hidden = !ahead;
  $("hint").textContent = ahead ? t(lang, "book.checkin_hint", { from, until }) : "";
  $("link").href = b.url;
  $("link").textContent = new URL(b.url, location.href).href;
  $("ics").href = `${b.ics_url}?lang=${lang}`;
  // Only a booking still ahead goes into a calendar; a cancelled one's
  // calendar cancellation travels by e-mail, not as an "Add" button.
  $("ics").hidden = !ahead;
  if (!ahead) $("info").hidden = true;
  $("manage").hidden = !ahead;
}

function render() {
  apply(document, lang);
  languageButtons($("langs"), officeLangs(office, LANGS), lang, (l) => {
    lang = l;
    try { localStorage.setItem(LANG_KEY, l); } catch { /* private mode */ }
    render();
  });
  const bookable = { ...office, services: (office.services || []).filter((s) => s.booking) };
  serviceButtons($("services"), bookable, lang, pickService);
  const name = service ? `${service} · ${serviceName(office, service, lang)}` : "";
  $("day-service").textContent = name;
  $("time-day").textContent = day ? `${name} · ${dayText(day)}` : "";
  if (step === "day") dayButtons();
  if (step === "time") timeButtons();
  if (step === "confirm") {
    $("summary").textContent = `${serviceName(office, service, lang)}: ${when(slot.start)}`;
    $("contact-box").hidden = moving;
    $("confirm").textContent = t(lang, moving ? "book.move_confirm" : "book.confirm");
  }
  if (step === "day" && moving) $("day-h").textContent = t(lang, "book.moving");
  if (step === "done" && booking) doneView();
}

async function main() {
  office = await (await fetch("/api/v1/office", { cache: "no-store" })).json();
  const langs = officeLangs(office, LANGS);
  let saved = null;
  try { saved = localStorage.getItem(LANG_KEY); } catch { /* private mode */ }
  lang = langs.includes(saved) ? saved : browserLang(langs) || langs[0];
  await load(langs, ["kiosk", "booking", "visitor"]);
  $("day-back").addEventListener("click", () => {
    say(null);
    const was = moving;
    moving = false;
    show(was ? "done" : "service");
  });
  $("time-back").addEventListener("click", () => { say(null); show("day"); });
  $("confirm-back").addEventListener("click", () => { say(null); show("time"); });
  $("confirm").addEventListener("click", confirm);
  $("move").addEventListener("click", startMove);
  $("cancel").addEventListener("click", () => { $("cancel-ask").hidden = false; });
  $("cancel-no").addEventListener("click", () => { $("cancel-ask").hidden = true; });
  $("cancel-yes").addEventListener("click", cancel);
  const m = location.pathname.match(/^\/b\/([^/]+)$/);
  if (m) {
    try {
      booking = await api("GET", `/api/v1/bookings/${encodeURIComponent(m[1])}`);
      if (langs.includes(booking.lang) && !saved) lang = booking.lang;
      show("done");
    } catch (err) {
      show("service");
      say(err);
    }
    return;
  }
  show("service");
}

main();

// The day's bookings (/admin/bookings): per service and slot, the places
// the share gives, how many are booked and by which codes; the manager
// closes a slot when a desk will be missing, cancels or moves a booking
// (the visitor sees it through their link), and sees first every booking
// a holiday or closure left without its slot: none is dropped silently.
import { load, t, apply, serviceName } from "./i18n.js";
import { adminNav, api } from "./adminnav.js";

const $ = (id) => document.getElementById(id);
let lang = "lt";
let office = null;

const hhmm = (iso) => new Date(iso).toLocaleTimeString("lt-LT", { hour: "2-digit", minute: "2-digit", timeZone: office.time_zone });
const dayOf = (iso) => new Date(iso).toLocaleDateString("en-CA", { timeZone: office.time_zone });

function say(err) { $("msg").textContent = err ? err.message : ""; }

async function act(fn) {
  say(null);
  try {
    await fn();
    await show();
  } catch (err) {
    say(err);
  }
}

function button(text, cls, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (cls) b.className = cls;
  b.addEventListener("click", onClick);
  return b;
}

/** One booking: its code, status and number, with cancel and move while
 * it is still ahead. */
function bookingLine(b, withWhen) {
  const div = document.createElement("div");
  div.className = `booking ${b.status}`;
  div.dataset.code = b.code;
  const code = document.createElement("code");
  code.textContent = `${b.code.slice(0, 4)}-${b.code.slice(4)}`;
  const what = document.createElement("span");
  what.textContent = [withWhen ? `${dayOf(b.start)} ${hhmm(b.start)} ${b.service}` : "", t(lang, `booking.status.${b.status}`), b.number || ""]
    .filter(Boolean).join(" · ");
  div.append(code, what);
  if (b.status !== "booked") return div;
  div.append(button(t(lang, "adminbk.cancel"), "cancel", () => act(() => api("POST", `/api/v1/admin/bookings/${b.code}/cancel`, {}, lang))));
  const sel = document.createElement("select");
  sel.setAttribute("aria-label", t(lang, "adminbk.move_to"));
  sel.className = "move-to";
  const move = button(t(lang, "adminbk.move"), "move", () => act(() =>
    api("POST", `/api/v1/admin/bookings/${b.code}/move`, { start: sel.value }, lang)));
  move.disabled = true;
  const fill = (day) => api("GET", `/api/v1/booking/slots?service=${b.service}&day=${day}`, undefined, lang).then((slots) => {
    sel.replaceChildren();
    for (const s of slots) sel.add(new Option(hhmm(s.start), s.start));
    move.disabled = !slots.length;
  }).catch(say);
  if (!withWhen) {
    // The free times of the day shown.
    fill($("day").value || dayOf(b.start));
    div.append(sel, move);
    return div;
  }
  // A stranded booking's day is gone: the manager picks another, starting
  // from the first day with room.
  const day = document.createElement("input");
  day.type = "date";
  day.className = "move-day";
  day.setAttribute("aria-label", t(lang, "adminbk.day"));
  day.addEventListener("change", () => fill(day.value));
  api("GET", `/api/v1/booking/days?service=${b.service}`, undefined, lang).then((days) => {
    const first = days.find((d) => d.open);
    if (first) { day.value = first.day; fill(first.day); }
  }).catch(say);
  div.append(day, sel, move);
  return div;
}

async function show() {
  const day = $("day").value;
  const data = await api("GET", `/api/v1/admin/bookings?day=${day}`, undefined, lang);
  const tb = $("slots").querySelector("tbody");
  tb.replaceChildren();
  for (const s of data.slots) {
    const tr = document.createElement("tr");
    tr.dataset.service = s.service;
    tr.dataset.start = s.start;
    if (s.closed) tr.className = "closed";
    const cells = [`${s.service} · ${serviceName(office, s.service, lang)}`, `${hhmm(s.start)}–${hhmm(s.end)}`,
      `${s.taken} / ${s.places}${s.closed ? ` (${t(lang, "adminbk.closed")})` : ""}`];
    for (const c of cells) {
      const td = document.createElement("td");
      td.textContent = c;
      tr.append(td);
    }
    const list = document.createElement("td");
    for (const b of data.bookings.filter((x) => x.service === s.service && x.start === s.start)) list.append(bookingLine(b, false));
    const tools = document.createElement("td");
    tools.append(button(t(lang, s.closed ? "adminbk.open" : "adminbk.close"), "slot", () => act(() =>
      api("POST", "/api/v1/admin/slots", { service: s.service, start: s.start, closed: !s.closed }, lang))));
    tr.append(list, tools);
    tb.append(tr);
  }
  $("none").hidden = data.bookings.length > 0;
  const st = $("stranded").querySelector("tbody");
  st.replaceChildren();
  for (const b of data.stranded) {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.append(bookingLine(b, true));
    tr.append(td);
    st.append(tr);
  }
  $("stranded-none").hidden = data.stranded.length > 0;
  $("stranded-box").classList.toggle("alert", data.stranded.length > 0);
}

async function main() {
  ({ lang, office } = await adminNav(document.querySelector("nav"), "bookings"));
  document.documentElement.lang = lang;
  await load([lang], ["admin", "booking"]);
  apply(document, lang);
  document.title = `Langelis – ${t(lang, "adminbk.title")}`;
  const q = new URLSearchParams(location.search).get("day");
  $("day").value = q || dayOf(office.now || new Date().toISOString());
  $("day-form").addEventListener("submit", (ev) => { ev.preventDefault(); act(async () => {}); });
  await act(async () => {});
  document.body.dataset.ready = "1";
}

main();

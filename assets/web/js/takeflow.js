// The choices a visitor makes to take a ticket, shared by the kiosk (/kiosk)
// and the phone page (/take): a service, then a priority group or "No".
// Every word comes from the translation files (area "kiosk").
import { t, serviceName } from "./i18n.js";

/** The four priority groups in the order the kiosk shows them
 * (priority.Categories on the server), each with a plain icon. */
export const GROUPS = ["child", "pregnant", "disability", "elderly"];

const ICONS = {
  child: '<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="17" cy="8" r="5"/><path d="M11 15h12l2 14h-4l-1 15h-6l-1-15h-4z"/><circle cx="35" cy="24" r="4"/><path d="M30 30h10l1 8h-3v6h-6v-6h-3z"/></svg>',
  pregnant: '<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="22" cy="7" r="5"/><path d="M16 14h11l3 6a9 9 0 0 1-3 14l-1 10h-7l-1-10h-3z"/></svg>',
  disability: '<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="20" cy="6" r="4.5"/><path d="M17 13h6v9h10v5H23l-1 0h-5z"/><path d="M16 21a11 11 0 1 0 15 13h-5a7 7 0 1 1-10-8z"/><path d="M31 27h5l4 11-4 1z"/></svg>',
  elderly: '<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="20" cy="7" r="5"/><path d="M14 15h11l3 12-3 1-2-6v22h-5l-1-12-2 12h-4l2-18z"/><path d="M31 22h3v22h-3z"/></svg>',
};

/** Whether el already shows what sig describes: the buttons are drawn
 * again only when their words change, never under a finger that is
 * pressing one (a press that ends on a new button is lost). */
function same(el, sig) {
  if (el.dataset.sig === sig) return true;
  el.dataset.sig = sig;
  return false;
}

/** Draws one large button per service into el; onPick(letter) on a tap. */
export function serviceButtons(el, office, lang, onPick) {
  if (same(el, lang + JSON.stringify(office.services || []))) return;
  el.replaceChildren();
  for (const s of office.services || []) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "big service";
    b.dataset.service = s.letter;
    // The service's colour (set on /admin), as a band at the button's
    // edge: the text keeps the page's own contrast.
    if (/^#[0-9a-fA-F]{6}$/.test(s.colour || "")) b.style.borderLeft = `1.2em solid ${s.colour}`;
    const letter = document.createElement("span");
    letter.className = "letter";
    letter.setAttribute("aria-hidden", "true");
    letter.textContent = s.letter;
    const name = document.createElement("span");
    name.textContent = serviceName(office, s.letter, lang);
    b.append(letter, name);
    b.addEventListener("click", () => onPick(s.letter));
    el.append(b);
  }
}

/** Draws the four groups and "No" into el; onPick("child"… or "none"). */
export function priorityButtons(el, lang, onPick) {
  if (same(el, lang)) return;
  el.replaceChildren();
  for (const g of [...GROUPS, "none"]) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "big priority" + (g === "none" ? " no" : "");
    b.dataset.priority = g;
    b.innerHTML = ICONS[g] || "";
    const words = document.createElement("span");
    words.textContent = t(lang, `kiosk.priority.${g}`);
    b.append(words);
    b.addEventListener("click", () => onPick(g));
    el.append(b);
  }
}

/** Language buttons, each named in its own language. */
export function languageButtons(el, langs, current, onPick) {
  if (same(el, langs.join() + "/" + current)) return;
  el.replaceChildren();
  for (const l of langs) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "lang";
    b.lang = l;
    b.dataset.lang = l;
    b.textContent = t(l, "lang.name");
    b.setAttribute("aria-pressed", String(l === current));
    b.addEventListener("click", () => onPick(l));
    el.append(b);
  }
}

/** A time of day in the office's zone, as the visitor reads it. */
export function clock(iso, office, lang) {
  return new Date(iso).toLocaleTimeString(lang === "en" ? "en-GB" : lang, {
    hour: "2-digit", minute: "2-digit", timeZone: office?.time_zone || "Europe/Vilnius" });
}

/** The visitor languages the office offers, in its order (GET
 * /api/v1/office "languages"): the first is the office's own, the one the
 * kiosk returns to for the next visitor. */
export function officeLangs(office, known) {
  const langs = (office?.languages || []).filter((l) => known.includes(l));
  return langs.length ? langs : known;
}

/** The first of the browser's languages (navigator.languages, in the
 * person's order) that the office speaks, or null. Every visitor page
 * opens in it when no link names a language and none was chosen before. */
export function browserLang(langs) {
  const wanted = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const w of wanted) {
    const l = langs.find((x) => w?.toLowerCase().startsWith(x));
    if (l) return l;
  }
  return null;
}

/** The language a visitor page starts in: the one a link names (?lang=),
 * else the one chosen on this device before, else the browser's, else the
 * office's first. */
export function startLang(langs) {
  const asked = new URLSearchParams(location.search).get("lang");
  if (langs.includes(asked)) return asked;
  let saved = null;
  try { saved = localStorage.getItem("langelis.lang"); } catch { /* private mode */ }
  if (langs.includes(saved)) return saved;
  return browserLang(langs) || langs[0];
}

/** YYYY-MM-DD of an instant in the office's time zone. */
function dayOf(d, tz) {
  return d.toLocaleDateString("en-CA", { timeZone: tz });
}

/** When the office opens next, as words that follow "We open again":
 * "šiandien 13:00", "rytoj 08:00", "pirmadienį 08:00", "в понедельник в
 * 08:00", "w poniedziałek o 08:00", "у понеділок о 08:00", and a date past
 * a week. Today and tomorrow are the office's (office.now, its clock), so
 * a kiosk never names the weekday when it opens again the same day. */
export function opening(iso, office, lang) {
  const w = openingWords(iso, office);
  const tz = office?.time_zone || "Europe/Vilnius";
  const time = clock(iso, office, lang);
  // Ukrainian says "о" before a consonant and "об" before a vowel: only
  // eleven ("об одинадцятій") starts with one.
  const vars = { time, at: time.startsWith("11") ? "об" : "о" };
  if (w.key !== "when.date") return t(lang, w.key, vars);
  const date = new Date(iso).toLocaleDateString(lang === "en" ? "en-GB" : lang, { day: "numeric", month: "long", timeZone: tz });
  return t(lang, "when.date", { ...vars, date });
}

/** opening as words for the kiosk's voice: { key, vars: { time, day },
 * text(lang) }, the key one of when.today, when.tomorrow, when.weekday.N,
 * when.date (the server says the date from day, YYYY-MM-DD). */
export function openingWords(iso, office) {
  const tz = office?.time_zone || "Europe/Vilnius";
  const at = new Date(iso);
  const now = office?.now ? new Date(office.now) : new Date();
  const [y, m, d] = dayOf(at, tz).split("-").map(Number);
  const [ny, nm, nd] = dayOf(now, tz).split("-").map(Number);
  const days = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(ny, nm - 1, nd)) / 86400000);
  const vars = { time: at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: tz }) };
  let key = "when.date";
  if (days <= 0) key = "when.today";
  else if (days === 1) key = "when.tomorrow";
  else if (days < 7) key = `when.weekday.${new Date(Date.UTC(y, m - 1, d)).getUTCDay()}`;
  else vars.day = dayOf(at, tz);
  return { key, vars, text: (lang) => opening(iso, office, lang) };
}

/** The "how many are ahead" line. */
export function aheadText(lang, n) {
  if (n === null || n === undefined) return "";
  return n === 0 ? t(lang, "ticket.ahead.none") : t(lang, "ticket.ahead", { n });
}

/** The estimated call time line of a waiting ticket (or a preview): with
 * no desk open that can serve it, that, instead of a time nobody keeps. */
export function estimateText(lang, ticket, office) {
  if (ticket.open_desks === 0) return t(lang, ticket.desks_not_yet_opened ? "ticket.not_yet_opened" : "ticket.no_desk");
  const iso = ticket.estimated_call_at;
  return iso ? t(lang, "ticket.estimate", { time: clock(iso, office, lang) }) : "";
}

/** Takes a ticket. Resolves to {ok, status, body}; a network failure
 * resolves to {ok: false, status: 0}, never throws. */
export async function issue(req) {
  try {
    const r = await fetch("/api/v1/tickets", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req),
    });
    let body = null;
    try { body = await r.json(); } catch { /* not JSON: a proxy's page */ }
    return { ok: r.ok, status: r.status, body };
  } catch {
    return { ok: false, status: 0, body: null };
  }
}

/** What a page shows when it cannot start at all: a plain sentence in
 * Lithuanian and English (the translations may be what failed to load),
 * never a stack trace or a blank page; it tries again by itself. */
export function unavailable(what) {
  document.body.replaceChildren();
  const p = document.createElement("p");
  p.className = "banner offline";
  p.setAttribute("role", "alert");
  p.textContent = what === "kiosk"
    ? "Kioskas laikinai neveikia. The kiosk is temporarily unavailable."
    : "Puslapis laikinai neveikia. This page is temporarily unavailable.";
  document.body.append(p);
  setTimeout(() => location.reload(), 10000);
}

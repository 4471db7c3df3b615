// Translations for the pages, from the same files the server uses
// (/static/i18n/LANG.json). Plural forms come from Intl.PluralRules, which
// knows the CLDR rules of every language here. LANGS is queue.Languages (a
// Go test keeps the two equal).
export const LANGS = ["lt", "en", "ru", "pl", "uk", "bg"];

const bundles = {};

// The language a missing text falls back to: the office's first language
// once a page knows its office (useOffice). Before that no office is known;
// English, as the server's i18n.Fallback (every bundle is complete, so
// this only shows for a language the page does not have).
let fallback = "en";

/** The office's languages in its order (GET /api/v1/office "languages"):
 * the first is its own, the second is shown after it in the hall. Makes
 * the first the fallback of t() and serviceName(). */
export function useOffice(office) {
  const langs = (office?.languages || []).filter((l) => LANGS.includes(l));
  const list = langs.length ? langs : LANGS;
  fallback = list[0];
  return { langs: list, first: list[0], second: list[1] || null };
}

const loaded = new Set();

/** Loads the shared words and the given areas' words (folders under
 * /static/i18n/) in the given languages, and in the fallback language. */
export async function load(langs = LANGS, areas = []) {
  const want = new Set([fallback, ...langs]);
  const files = [];
  for (const l of want) {
    files.push([l, `/static/i18n/${l}.json`]);
    for (const a of areas) files.push([l, `/static/i18n/${a}/${l}.json`]);
  }
  await Promise.all(files.filter(([, u]) => !loaded.has(u)).map(async ([l, u]) => {
    const r = await fetch(u, { cache: "no-cache" });
    if (!r.ok) throw new Error(`i18n ${u}: ${r.status}`);
    const words = await r.json(); // before reading bundles[l]: the files of one language arrive in any order
    bundles[l] = { ...(bundles[l] || {}), ...words };
    loaded.add(u);
  }));
}

/** Returns the text of key in lang; vars fill {name} placeholders, and a
 * numeric vars.n picks the plural form. Falls back to the office's first
 * language. */
export function t(lang, key, vars = {}) {
  let msg = bundles[lang]?.[key];
  let l = lang;
  if (msg === undefined) { msg = bundles[fallback]?.[key]; l = fallback; }
  if (msg === undefined) return key;
  if (typeof msg === "object") {
    const cat = typeof vars.n === "number" ? new Intl.PluralRules(l).select(vars.n) : "other";
    msg = msg[cat] ?? msg.other;
  }
  return msg.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** A length of time in lang, as "14 min 24 s" or "1 h 5 min": never as
 * "14:24", which people read as a time of day. Seconds show below an
 * hour; a zero part is left out (but "0 s" for nothing). */
export function duration(lang, seconds) {
  const all = Math.max(0, Math.round(seconds));
  const h = Math.floor(all / 3600), m = Math.floor(all / 60) % 60, s = all % 60;
  const parts = h ? [["h", h], ["m", m]] : [["m", m], ["s", s]];
  const shown = parts.filter(([, n]) => n > 0);
  return (shown.length ? shown : [["s", 0]]).map(([u, n]) => t(lang, `duration.${u}`, { n })).join(" ");
}

/** Fills every element with data-i18n="key" in root with its text. */
export function apply(root, lang) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(lang, el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-label]").forEach((el) => { el.setAttribute("aria-label", t(lang, el.dataset.i18nLabel)); });
  document.documentElement.lang = lang;
}

/** The service's name in lang, from GET /api/v1/office. */
export function serviceName(office, letter, lang) {
  const s = office.services.find((x) => x.letter === letter);
  return s ? (s.names[lang] || s.names[fallback] || Object.values(s.names)[0] || letter) : letter;
}

/** A calendar day ("2026-12-01") as lang writes it, the rule of the
 * server's i18n.Date, so a ticket and a page agree: Lithuanian ISO,
 * English "1 December 2026", the Slavic languages "01.12.2026". */
export function dateText(lang, day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || "");
  if (!m) return day || "";
  const [, y, mo, d] = m;
  if (lang === "en") {
    const month = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(+y, +mo - 1, 1)));
    return `${+d} ${month} ${y}`;
  }
  if (["ru", "uk", "pl", "bg"].includes(lang)) return `${d}.${mo}.${y}`;
  return `${y}-${mo}-${d}`;
}

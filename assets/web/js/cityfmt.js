// Words the city's pages (/halls, /city on langelis central) share: a
// wait in minutes with the language's plural, a time of day.
import { t } from "./i18n.js";

/** A duration in seconds as the visitor reads it: "12 minučių". */
export function duration(lang, seconds) {
  if (seconds < 60) return t(lang, "city.under_minute");
  const n = Math.round(seconds / 60);
  return t(lang, "minutes", { n });
}

/** How long ago, in minutes: "prieš 5 minutes". */
export function ago(lang, seconds) {
  if (seconds < 60) return t(lang, "city.ago.now");
  return t(lang, "city.ago", { n: Math.round(seconds / 60) });
}

/** A time of day in Vilnius, e.g. 14:05. */
export function clock(lang, iso) {
  return new Date(iso).toLocaleTimeString(lang === "en" ? "en-GB" : lang, {
    hour: "2-digit", minute: "2-digit", timeZone: "Europe/Vilnius" });
}

/** A name from a names-per-language map, falling back to Lithuanian. */
export function named(names, fallback, lang) {
  return (names && (names[lang] || names.lt)) || fallback;
}

/** The language to start in: the browser's, if it is one of ours. */
export function startLang(langs) {
  const saved = localStorage.getItem("langelis.lang");
  if (langs.includes(saved)) return saved;
  return langs.find((l) => navigator.language?.startsWith(l)) || "lt";
}

/** An element with a class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// End of day, as the pages show it. The pages call these functions with the
// snapshot's cutoff (GET /api/v1/queue, the websocket snapshot, or a
// side-band "cutoff" message) and never compute the figure themselves.
import { load, t } from "./i18n.js";

/** Loads the end-of-day words in the given languages. */
export function loadEod(langs) { return load(langs, ["eod"]); }

function clock(iso, tz) {
  return new Date(iso).toLocaleTimeString("lt-LT", { hour: "2-digit", minute: "2-digit", timeZone: tz || "Europe/Vilnius" });
}

/** The hall banner in lang, or null while no announcement is due. */
export function bannerText(lang, cutoff, office) {
  if (!cutoff || !cutoff.notice) return null;
  const closing = clock(cutoff.closing, office?.time_zone);
  if (!cutoff.count) return t(lang, "eod.banner.none", { closing });
  return t(lang, "eod.banner", { n: cutoff.count, closing, last: cutoff.last });
}

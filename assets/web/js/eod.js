// End of day, as the pages show it. The pages call these functions with the
// snapshot's cutoff (GET /api/v1/queue, the websocket snapshot, or a
// side-band "cutoff" message), a ticket (GET /api/v1/tickets/{id}) or a
// preview (GET /api/v1/tickets/preview?service=A), and never compute the
// figure themselves: the server's projection and forecast are the one source
// of it. Where the forecast has spoken (cutoff.count_range, a ticket's
// estimated_call_range and served_today_probability, the preview's), the
// words follow it: a range for the hall, a probability for the visitor,
// with the thresholds of wire.js's TODAY. Before it has, the projection's
// point is used, as it always was.
import { load, t } from "./i18n.js";
import { TODAY } from "./wire.js";
import { openingWords } from "./takeflow.js";

/** Loads the end-of-day words in the given languages (and the visitor
 * words they use: when the office opens again). */
export function loadEod(langs) { return load(langs, ["eod", "visitor"]); }

/** HH:MM of an ISO instant in the office's time zone. */
export function clock(iso, tz) {
  return new Date(iso).toLocaleTimeString("lt-LT", { hour: "2-digit", minute: "2-digit", timeZone: tz || "Europe/Vilnius" });
}

/** The chance p (0-1) as a whole percentage the visitor reads: to the
 * nearest ten, never 0 or 100 (a forecast is not a promise). */
export function percent(p) {
  return Math.min(90, Math.max(10, Math.round(p * 10) * 10));
}

/** The hall banner in lang, or null while no announcement is due. The
 * display shows it in Lithuanian and in office.second_language. With the
 * forecast's range it says "from 12 to 15 clients" (or "at most 3" when none may
 * be), and one number when the range is one. */
export function bannerText(lang, cutoff, office) {
  if (!cutoff || !cutoff.notice) return null;
  return hallText(lang, cutoff, office);
}

/** The hall's figure in words, whether or not the announcements are due:
 * bannerText's sentence. */
function hallText(lang, cutoff, office) {
  return say(lang, hallWords(cutoff, office));
}

/** hallText as { key, vars }: what the kiosk's voice asks the server to
 * say (voice.js). */
function hallWords(cutoff, office) {
  const closing = clock(cutoff.closing, office?.time_zone);
  // A count of 0 with no one waiting is not "no more can be served": it
  // is an empty hall (cmd/display's bannerText says the same).
  if (!cutoff.waiting) return { key: "eod.banner.empty", vars: { closing } };
  const r = cutoff.count_range;
  if (r && r[0] !== r[1]) {
    if (r[0] === 0) return { key: "eod.banner.upto", vars: { n: r[1], hi: r[1], closing } };
    return { key: "eod.banner.range", vars: { n: r[1], lo: r[0], hi: r[1], closing } };
  }
  const n = r ? r[0] : cutoff.count;
  if (!n) return { key: "eod.banner.none", vars: { closing } };
  // The last number comes from the projection: said only when it counts
  // the same tickets.
  if (n === cutoff.count && cutoff.last) return { key: "eod.banner", vars: { n, closing, last: cutoff.last } };
  return { key: "eod.banner.count", vars: { n, closing } };
}

/** The banner as { key, vars } for the kiosk's voice, or null. */
export function bannerWords(cutoff, office) {
  return cutoff && cutoff.notice ? hallWords(cutoff, office) : null;
}

/** The text of words ({ key, vars }) in lang; a value that is itself
 * words (when the office opens again) is put in its own text. */
function say(lang, w) {
  if (!w) return "";
  const vars = {};
  for (const [k, v] of Object.entries(w.vars || {})) vars[k] = v && typeof v === "object" ? v.text(lang) : v;
  return t(lang, w.key, vars);
}

/** When a visitor will be called, from a forecast range ({median, from,
 * to}; a missing "to" is "maybe not today"), as words to follow "You will
 * be called": "at about 10:40 (between 10:32 and 10:55)"; null without a
 * median. */
export function callText(lang, range, office) {
  if (!range || !range.median) return null;
  const tz = office?.time_zone;
  const time = clock(range.median, tz);
  if (!range.to) return t(lang, "eod.call.open", { time });
  if (!range.from || range.from === range.to) return t(lang, "eod.call.at", { time });
  return t(lang, "eod.call.range", { time, from: clock(range.from, tz), to: clock(range.to, tz) });
}

/** What the status page says about the end of the day for a waiting ticket:
 * { today, text, giveUp, button }, or null when there is nothing to say.
 * A ticket beyond the cutoff is told so plainly whenever it is (giveUp and
 * button are then the offer to give up the place: POST
 * /api/v1/tickets/{id}/cancel); "likely today" is said only once the
 * announcements are due. Fetch the ticket again on each "cutoff" message:
 * served_today moves with the figure. */
export function statusNotice(lang, ticket, cutoff, office) {
  if (!ticket || ticket.status !== "waiting" || !cutoff) return null;
  if (ticket.served_today_probability != null) return chanceNotice(lang, ticket, cutoff, office);
  if (ticket.served_today == null) return null;
  const tz = office?.time_zone;
  const closing = clock(cutoff.closing, tz);
  if (ticket.served_today) {
    if (!cutoff.notice || !ticket.estimated_call_at) return null;
    return { today: true, text: t(lang, "eod.status.today", { time: clock(ticket.estimated_call_at, tz) }), giveUp: null, button: null };
  }
  // The hall's figure knows no priority; this ticket's answer does. When
  // the hall's figure counts this number in, the visitor is told plainly,
  // without a figure that would say the opposite.
  // The figure of the ticket's own service: a B visitor learns how far
  // the B line gets, not the hall's last number, which may be an A.
  const n = cutoff.per_service?.[ticket.service] ?? cutoff.count;
  const last = cutoff.last_per_service?.[ticket.service] ?? cutoff.last;
  const text = n && last && !hallCounts(ticket, cutoff)
    ? t(lang, "eod.status.beyond", { n, closing, number: ticket.number, last })
    : t(lang, "eod.status.beyond.none", { closing, number: ticket.number });
  return { today: false, text, giveUp: t(lang, "eod.status.giveup"), button: t(lang, "eod.status.giveup.button") };
}

/** statusNotice from the forecast's probability p: from TODAY.LIKELY_FROM
 * "likely today, at about 16:00 (between 15:50 and 16:20)"; down to
 * TODAY.UNLIKELY_BELOW "the chance is about 70 %, most likely at about
 * 16:40" (both only once the announcements are due); below it "unlikely
 * today, the chance is only about 20 %" with the offer to give up the
 * place, whatever the hour. */
function chanceNotice(lang, ticket, cutoff, office) {
  const tz = office?.time_zone;
  const closing = clock(cutoff.closing, tz);
  const p = ticket.served_today_probability;
  const r = ticket.estimated_call_range;
  const median = r?.median || ticket.estimated_call_at;
  if (p >= TODAY.UNLIKELY_BELOW) {
    if (!cutoff.notice || !median) return null;
    const time = clock(median, tz);
    let text;
    if (p < TODAY.LIKELY_FROM) text = t(lang, "eod.status.maybe", { closing, pct: percent(p), time });
    else if (r?.from && r?.to && r.from !== r.to) text = t(lang, "eod.status.today.range", { time, from: clock(r.from, tz), to: clock(r.to, tz) });
    else text = t(lang, "eod.status.today", { time });
    return { today: true, text, giveUp: null, button: null };
  }
  const text = p >= 0.05
    ? t(lang, "eod.status.beyond.p", { closing, number: ticket.number, pct: percent(p) })
    : t(lang, "eod.status.beyond.none", { closing, number: ticket.number });
  return { today: false, text, giveUp: t(lang, "eod.status.giveup"), button: t(lang, "eod.status.giveup.button") };
}

/** Whether the hall's cutoff counts the ticket's number among those still
 * served today: its service's last number is not before it. */
function hallCounts(ticket, cutoff) {
  const last = cutoff.last_per_service?.[ticket.service];
  const a = /^(\D*)(\d+)$/.exec(ticket.number || ""), b = /^(\D*)(\d+)$/.exec(last || "");
  return !!(a && b && a[1] === b[1] && Number(a[2]) <= Number(b[2]));
}

/** What the kiosk shows before it issues, from the preview: null when it
 * may simply issue; else { action, title, text, take, back } where action
 * is "warn" (ask: take is the "take it anyway" button), "stop" (no ticket;
 * take is null) or "closed". The title says it plainly ("you will most
 * likely not be served today", or the chance when it is not that low);
 * the text gives the hall's figure (the count or its range, the closing
 * and the last number, all worked out without priority information) and
 * how many are ahead. The server refuses a "stop" ticket anyway (409
 * beyond_cutoff), so a kiosk that skips this never hands one out. */
export function kioskNotice(lang, preview, office) {
  const n = kioskWords(preview, office);
  if (!n) return null;
  return { action: n.action, title: say(lang, n.title), text: join(...n.text.map((w) => say(lang, w))),
    take: n.take ? t(lang, "eod.kiosk.take") : null, back: t(lang, "eod.kiosk.back"), say: n.voice || [n.title, ...n.text] };
}

/** kioskNotice as words ({ key, vars }): { action, title, text: [words],
 * take }, which the screen shows and the voice says alike. */
function kioskWords(preview, office) {
  if (!preview || preview.action === "issue") return null;
  if (preview.action === "closed") {
    const when = preview.next_opening ? openingWords(preview.next_opening, office) : null;
    const title = { key: "eod.kiosk.closed", vars: { next: when || "" } };
    return { action: "closed", title, text: [], take: false, voice: when ? null : [{ key: "kiosk.closed.unknown" }] };
  }
  // No open desk serves the service: that is the reason, not the hall's
  // end of the day (whose figures are other services' tickets).
  if (preview.open_desks === 0) {
    return { action: preview.action, title: { key: "eod.kiosk.no_desk.title" }, text: [{ key: "eod.kiosk.no_desk" }],
      take: preview.action !== "stop" };
  }
  // The hall's last number is said only to a visitor of its service.
  const cutoff = preview.cutoff && preview.service && preview.cutoff.last && !preview.cutoff.last.startsWith(preview.service)
    ? { ...preview.cutoff, last: null } : preview.cutoff;
  const hall = cutoff ? hallWithLast(cutoff, office) : [];
  if (preview.action === "stop") {
    return { action: "stop", title: { key: "eod.kiosk.stop.title" }, text: [...hall, { key: "eod.kiosk.stop.why" }], take: false };
  }
  // With the forecast the kiosk goes by the visitor's own chance (the
  // server decided "warn" from it too): "most likely not" below
  // TODAY.UNLIKELY_BELOW, the chance itself above it.
  const p = preview.served_today_probability;
  const title = p != null && p >= TODAY.UNLIKELY_BELOW
    ? { key: "eod.kiosk.maybe", vars: { pct: percent(p) } }
    : { key: "eod.kiosk.unlikely" };
  return { action: "warn", title, text: [...hall, { key: "eod.kiosk.ahead", vars: { n: preview.ahead } }], take: true };
}

/** The hall's figure with its last number: the banner's sentence names it
 * only when the count is certain; with a range the kiosk still says which
 * number is about the last, when the range holds the projection's count
 * that the last number belongs to (else the two disagree, and a number
 * would mislead). */
function hallWithLast(cutoff, office) {
  const words = [hallWords(cutoff, office)];
  const r = cutoff.count_range;
  if (!r || r[0] === r[1] || !cutoff.last || cutoff.count < r[0] || cutoff.count > r[1]) return words;
  return [...words, { key: "eod.kiosk.last", vars: { last: cutoff.last } }];
}

function join(...parts) { return parts.filter(Boolean).join(" "); }

/** The desk's cutoff line in lang (the desk's words, "desk.cutoff"): how
 * many of the waiting can still be called today, or that none can. With
 * no one waiting there is nothing to say: "none can be called" would read
 * as if the office were full. */
export function deskCutoffText(lang, cutoff) {
  if (!cutoff || !cutoff.waiting) return "";
  return cutoff.count
    ? t(lang, "desk.cutoff", { n: cutoff.count, last: cutoff.last })
    : t(lang, "desk.cutoff.none");
}

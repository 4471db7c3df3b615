// End of day, as the pages show it. The pages call these functions with the
// snapshot's cutoff (GET /api/v1/queue, the websocket snapshot, or a
// side-band "cutoff" message), a ticket (GET /api/v1/tickets/{id}) or a
// preview (GET /api/v1/tickets/preview?service=A), and never compute the
// figure themselves: the server's projection is the one source of it.
import { load, t } from "./i18n.js";

/** Loads the end-of-day words in the given languages. */
export function loadEod(langs) { return load(langs, ["eod"]); }

/** HH:MM of an ISO instant in the office's time zone. */
export function clock(iso, tz) {
  return new Date(iso).toLocaleTimeString("lt-LT", { hour: "2-digit", minute: "2-digit", timeZone: tz || "Europe/Vilnius" });
}

function day(iso, tz) {
  return new Date(iso).toLocaleString("lt-LT", { year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", timeZone: tz || "Europe/Vilnius" });
}

/** The hall banner in lang, or null while no announcement is due. The
 * display shows it in Lithuanian and in office.second_language. */
export function bannerText(lang, cutoff, office) {
  if (!cutoff || !cutoff.notice) return null;
  const closing = clock(cutoff.closing, office?.time_zone);
  if (!cutoff.count) return t(lang, "eod.banner.none", { closing });
  return t(lang, "eod.banner", { n: cutoff.count, closing, last: cutoff.last });
}

/** What the status page says about the end of the day for a waiting ticket:
 * { today, text, giveUp, button }, or null when there is nothing to say.
 * A ticket beyond the cutoff is told so plainly whenever it is (giveUp and
 * button are then the offer to give up the place: POST
 * /api/v1/tickets/{id}/cancel); "likely today" is said only once the
 * announcements are due. Fetch the ticket again on each "cutoff" message:
 * served_today moves with the figure. */
export function statusNotice(lang, ticket, cutoff, office) {
  if (!ticket || ticket.status !== "waiting" || !cutoff || ticket.served_today == null) return null;
  const tz = office?.time_zone;
  const closing = clock(cutoff.closing, tz);
  if (ticket.served_today) {
    if (!cutoff.notice || !ticket.estimated_call_at) return null;
    return { today: true, text: t(lang, "eod.status.today", { time: clock(ticket.estimated_call_at, tz) }), giveUp: null, button: null };
  }
  // The hall's figure knows no priority; this ticket's answer does. When
  // the hall's figure counts this number in, the visitor is told plainly,
  // without a figure that would say the opposite.
  const text = cutoff.count && !hallCounts(ticket, cutoff)
    ? t(lang, "eod.status.beyond", { n: cutoff.count, closing, number: ticket.number, last: cutoff.last })
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
 * may simply issue; else { action, text, take, back } where action is
 * "warn" (ask: take is the "take it anyway" button), "stop" (no ticket;
 * take is null) or "closed". The server refuses a "stop" ticket anyway
 * (409 beyond_cutoff), so a kiosk that skips this never hands one out. */
export function kioskNotice(lang, preview, office) {
  if (!preview || preview.action === "issue") return null;
  const tz = office?.time_zone;
  const back = t(lang, "eod.kiosk.back");
  if (preview.action === "closed") {
    const next = preview.next_opening ? day(preview.next_opening, tz) : "";
    return { action: "closed", text: t(lang, "eod.kiosk.closed", { next }), take: null, back };
  }
  const closing = preview.cutoff ? clock(preview.cutoff.closing, tz) : "";
  if (preview.action === "stop") {
    return { action: "stop", text: t(lang, "eod.kiosk.stop", { closing }), take: null, back };
  }
  const text = t(lang, "eod.kiosk.ahead", { n: preview.ahead }) + " " + t(lang, "eod.kiosk.warn", { closing });
  return { action: "warn", text, take: t(lang, "eod.kiosk.take"), back };
}

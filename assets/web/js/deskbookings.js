// The desk's next booked visits (issue 17): the bookings of today for the
// desk's services, checked in (with their number) or still to come, so
// the clerk knows who is due when. Staff only: the hall never sees them.
import { t } from "/static/js/i18n.js";
import { clock } from "/static/js/eod.js";

/** Fills ul with the bookings (GET /api/v1/desks/{n}/bookings). */
export function renderBooked(ul, list, office, lang) {
  ul.textContent = "";
  if (!list) return;
  if (!list.length) {
    const li = document.createElement("li");
    li.textContent = t(lang, "desk.bookings.none");
    ul.append(li);
    return;
  }
  for (const b of list) {
    const li = document.createElement("li");
    li.dataset.code = b.code;
    li.className = b.status;
    const here = b.status === "checked_in" ? t(lang, "desk.bookings.checked_in", { number: b.number }) : t(lang, "desk.bookings.coming");
    li.textContent = `${clock(b.start, office?.time_zone)} ${b.service} · ${here}`;
    ul.append(li);
  }
}

// Code generated from package wire by `go test ./wire -run JavaScript -update`. DO NOT EDIT.
// The websocket contract as the pages use it; docs/api.md describes it in words.

/** The websocket protocol the pages speak: GET /api/v1/ws?protocol=5. */
export const PROTOCOL = 5;
export const PROTOCOL_PARAM = "protocol";

/** Filtered streams: GET /api/v1/ws?stream=ticket (protocol 3), opened by a watch message. */
export const STREAM_PARAM = "stream";
export const STREAM = Object.freeze({ TICKET: "ticket" });
/** The close code of a ticket stream whose ticket the server does not know: do not reconnect. */
export const CLOSE_UNKNOWN_TICKET = 4404;

/** Message kinds that are not events. */
export const KIND = Object.freeze({
  SNAPSHOT: "snapshot",
  NOOP: "noop",
  CUTOFF: "cutoff",
  PRINT_FAILED: "print_failed",
  HELLO: "hello",
  PING: "ping",
  WATCH: "watch",
  TICKET: "ticket",
  HOURS: "hours",
});

/** Event types (queue.EventTypes). */
export const EVENT = Object.freeze({
  DAY_STARTED: "day.started",
  TICKET_ISSUED: "ticket.issued",
  TICKET_CALLED: "ticket.called",
  TICKET_RECALLED: "ticket.recalled",
  TICKET_STARTED: "ticket.started",
  TICKET_FINISHED: "ticket.finished",
  TICKET_NO_SHOW: "ticket.no_show",
  TICKET_RETURNED: "ticket.returned",
  TICKET_TRANSFERRED: "ticket.transferred",
  TICKET_REFUSED: "ticket.refused",
  TICKET_CANCELLED: "ticket.cancelled",
  TICKET_CLOSED: "ticket.closed",
  TICKET_CATEGORY_CHANGED: "ticket.category_changed",
  DESK_OPENED: "desk.opened",
  DESK_CLOSED: "desk.closed",
  DESK_PAUSED: "desk.paused",
  DESK_RESUMED: "desk.resumed",
  DESK_STAY: "desk.stay",
  OFFICE_CHANGED: "office.changed",
  SERVICE_PAUSED: "service.paused",
  SERVICE_RESUMED: "service.resumed",
  DISPLAY_MESSAGE: "display.message",
  TICKET_RATED: "ticket.rated",
  BOOKING_MADE: "booking.made",
  BOOKING_MOVED: "booking.moved",
  BOOKING_CANCELLED: "booking.cancelled",
  BOOKING_CHECKED_IN: "booking.checked_in",
  BOOKING_MISSED: "booking.missed",
  SLOT_CLOSED: "slot.closed",
  SLOT_OPENED: "slot.opened",
});

/** Every message kind of this protocol. */
export const KINDS = new Set(["day.started","ticket.issued","ticket.called","ticket.recalled","ticket.started","ticket.finished","ticket.no_show","ticket.returned","ticket.transferred","ticket.refused","ticket.cancelled","ticket.closed","ticket.category_changed","desk.opened","desk.closed","desk.paused","desk.resumed","desk.stay","office.changed","service.paused","service.resumed","display.message","ticket.rated","booking.made","booking.moved","booking.cancelled","booking.checked_in","booking.missed","slot.closed","slot.opened","snapshot","noop","cutoff","print_failed","hello","ping","watch","ticket","hours"]);

/** Side messages: they do not advance the sequence and are not replayed. */
export const SIDE_KINDS = new Set(["cutoff","print_failed","hello","ping","ticket","hours"]);

/** Error codes ({"error": {"code", "message"}}) and their HTTP statuses. */
export const CODE_STATUS = Object.freeze({
  beyond_cutoff: 409,
  conflict: 409,
  daily_cap: 409,
  forbidden: 403,
  internal: 500,
  invalid: 400,
  not_found: 404,
  office_closed: 409,
  too_early: 409,
  too_late: 409,
  too_many: 429,
  unauthorized: 401,
  unavailable: 503,
  unsupported_media_type: 415,
  unsupported_protocol: 400,
});

/** Timings in milliseconds. The keep-alive and the offline threshold are
 * defaults: the hello message gives the server's own. */
export const KEEPALIVE_MS = 25000;
export const OFFLINE_AFTER_MS = 62500;
export const RECONNECT_MIN_MS = 250;
export const RECONNECT_MAX_MS = 5000;

/** The probabilities of a call today that the pages act on (served_today_probability;
 * the kiosk's preview action follows WARN_BELOW and STOP_BELOW on the server). */
export const TODAY = Object.freeze({ LIKELY_FROM: 0.9, UNLIKELY_BELOW: 0.5, WARN_BELOW: 0.8, STOP_BELOW: 0.1 });

// Live queue over the websocket: a snapshot, then events in sequence order.
// Reconnects with backoff and resyncs with ?since=SEQ, so a page that lost
// its connection keeps what it shows and catches up when it is back.
//
//   const live = new Live({ onSnapshot(s) {...}, onEvent(e) {...}, onStatus(connected) {...},
//                           onSide(msg) {...} });
//   live.start();
//
// The page speaks the protocol of wire.js (generated from the server's
// package wire). The server opens with a hello that says how often it
// sends a ping message; a connection that hears nothing for the hello's
// offline_after_ms is taken for dead and opened again, so a quiet hall
// stays connected and a dead link is noticed. Side messages (cutoff,
// print_failed) carry the current seq but do not advance it, and go to
// onSide.
//
// With `watch: TOKEN` it opens the ticket stream instead (a phone's status
// page): the token goes in the first message, never in the URL (which ends
// up in logs and Referer headers), and the page hears its ticket (a
// `ticket` side message whenever its status, place or estimate changes),
// the calls (onEvent, not in sequence: the stream is filtered) and the
// cutoff. A ticket the server does not know ends the stream for good:
// onEnd is called and no reconnection follows.
import {
  PROTOCOL, PROTOCOL_PARAM, STREAM_PARAM, STREAM, CLOSE_UNKNOWN_TICKET, KIND, SIDE_KINDS,
  OFFLINE_AFTER_MS, RECONNECT_MIN_MS, RECONNECT_MAX_MS,
} from "./wire.js";

export class Live {
  constructor({ onSnapshot, onEvent, onStatus, onSide, onEnd, watch = null, path = "/api/v1/ws" } = {}) {
    this.onSnapshot = onSnapshot || (() => {});
    this.onEvent = onEvent || (() => {});
    this.onStatus = onStatus || (() => {});
    this.onSide = onSide || (() => {});
    this.onEnd = onEnd || (() => {});
    this.watch = watch;
    this.path = path;
    this.seq = 0;
    this.delay = RECONNECT_MIN_MS;
    this.ws = null;
    this.stopped = false;
    this.connected = false;
  }

  start() { this.stopped = false; this.connect(); return this; }

  // stop ends the connection for good and quietly: a page that stops (a
  // clerk signing out) is not "offline", so onStatus is not called.
  stop() {
    this.stopped = true;
    const ws = this.ws;
    this.ws = null;
    this.connected = false;
    if (ws) { ws.onopen = ws.onmessage = ws.onclose = null; ws.close(); }
  }

  connect() {
    if (this.stopped) return;
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const q = new URLSearchParams({ [PROTOCOL_PARAM]: String(PROTOCOL) });
    if (this.watch) q.set(STREAM_PARAM, STREAM.TICKET);
    else if (this.seq > 0) q.set("since", String(this.seq));
    const ws = new WebSocket(`${proto}//${location.host}${this.path}?${q}`);
    this.ws = ws;
    let offlineAfter = OFFLINE_AFTER_MS; // until the hello says the server's own
    let alive = null;
    // The connection is over: reconnect after a backoff. A dead link may
    // take long to report its close, so silence ends it here at once.
    const lost = () => {
      clearTimeout(alive);
      if (this.ws !== ws) return;
      this.ws = null;
      ws.onmessage = ws.onclose = null;
      this.setStatus(false);
      if (this.stopped) return;
      const wait = this.delay / 2 + Math.random() * this.delay / 2;
      this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
      setTimeout(() => this.connect(), wait);
    };
    const kick = () => { clearTimeout(alive); alive = setTimeout(() => { ws.close(); lost(); }, offlineAfter); };
    ws.onopen = () => {
      if (this.watch) ws.send(JSON.stringify({ type: KIND.WATCH, ticket: this.watch }));
      this.delay = RECONNECT_MIN_MS; this.setStatus(true); kick();
    };
    ws.onmessage = (m) => {
      kick();
      let msg;
      try { msg = JSON.parse(m.data); } catch { ws.close(); lost(); return; }
      if (msg.type === KIND.HELLO) {
        if (msg.offline_after_ms > 0) { offlineAfter = msg.offline_after_ms; kick(); }
        return;
      }
      if (msg.type === KIND.PING) return;
      if (msg.type === KIND.SNAPSHOT) {
        this.seq = msg.seq;
        this.onSnapshot(msg.snapshot, msg.seq);
        return;
      }
      if (SIDE_KINDS.has(msg.type)) { this.onSide(msg); return; }
      if (this.watch) { if (msg.type !== KIND.NOOP) this.onEvent(msg); return; } // filtered: no sequence to keep
      if (msg.seq <= this.seq) return; // already seen
      if (this.seq > 0 && msg.seq !== this.seq + 1) { this.seq = 0; ws.close(); lost(); return; } // gap: resync
      this.seq = msg.seq;
      if (msg.type !== KIND.NOOP) this.onEvent(msg);
    };
    ws.onclose = (ev) => {
      if (ev?.code === CLOSE_UNKNOWN_TICKET) { this.stopped = true; lost(); this.onEnd(ev.code); return; }
      lost();
    };
  }

  setStatus(c) {
    if (c !== this.connected) { this.connected = c; this.onStatus(c); }
  }
}

/** Applies an event to a public or staff snapshot kept by the page: tickets
 * by number, desks by number, recent calls; returns the snapshot. It folds
 * as the server's queue.State does (a test runs both on one day's events). */
export function applyEvent(snap, ev) {
  if (!snap) return snap;
  if (ev.type === "day.started") {
    snap.tickets = []; snap.calls = []; snap.day = ev.day;
    if (snap.paused_services) snap.paused_services = [];
    delete snap.message;
    for (const d of snap.desks) { d.status = "closed"; delete d.ticket_number; }
    for (const k of Object.keys(snap.waiting)) snap.waiting[k] = 0;
    return snap;
  }
  // The manager's hold on the hall (queue/hall.go): a paused service
  // (staff only) and the display's message.
  if (ev.type === "service.paused" || ev.type === "service.resumed") {
    const rest = (snap.paused_services || []).filter((p) => p.service !== ev.pause.service);
    if (ev.type === "service.paused") rest.push(ev.pause);
    snap.paused_services = rest.sort((a, b) => (a.service < b.service ? -1 : 1));
    return snap;
  }
  if (ev.type === "display.message") {
    if (ev.message) snap.message = ev.message; else delete snap.message;
    return snap;
  }
  if (ev.ticket) {
    const t = ev.ticket;
    const i = snap.tickets.findIndex((x) => x.number === t.number);
    const active = ["waiting", "called", "serving"].includes(t.status);
    // An event carries the whole ticket: it replaces the old one, so a
    // field it leaves out (a returned ticket's desk) is gone.
    if (i >= 0) { if (active) snap.tickets[i] = t; else snap.tickets.splice(i, 1); }
    else if (active) snap.tickets.push(t);
    if (ev.type === "ticket.called" || ev.type === "ticket.recalled") {
      snap.calls.unshift({ number: t.number, desk: t.desk, at: ev.at, recall: ev.type === "ticket.recalled" });
      snap.calls = snap.calls.slice(0, 20);
    }
    // A call holds while its ticket is still at the call's desk; once the
    // ticket goes (no-show, transfer, return, a call elsewhere), its older
    // calls leave the list (as queue.State drops them).
    const holds = (c) => ["called", "serving", "done"].includes(t.status) && c.desk === t.desk;
    snap.calls = snap.calls.filter((c) => c.number !== t.number || holds(c));
  }
  if (ev.desk && ev.desk.status === "retired") {
    // A configuration change retired the desk (office.changed).
    snap.desks = snap.desks.filter((d) => d.number !== ev.desk.number);
    snap.calls = snap.calls.filter((c) => c.desk !== ev.desk.number);
  } else if (ev.desk) {
    const i = snap.desks.findIndex((d) => d.number === ev.desk.number);
    if (i >= 0) snap.desks[i] = ev.desk; else snap.desks.push(ev.desk);
    // So do the calls of a desk that has closed.
    if (ev.desk.status === "closed") snap.calls = snap.calls.filter((c) => c.desk !== ev.desk.number);
  }
  recount(snap);
  return snap;
}

function recount(snap) {
  for (const k of Object.keys(snap.waiting)) snap.waiting[k] = 0;
  for (const t of snap.tickets) if (t.status === "waiting") snap.waiting[t.service] = (snap.waiting[t.service] || 0) + 1;
}

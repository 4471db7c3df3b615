// Live queue over the websocket: a snapshot, then events in sequence order.
// Reconnects with backoff and resyncs with ?since=SEQ, so a page that lost
// its connection keeps what it shows and catches up when it is back.
//
//   const live = new Live({ onSnapshot(s) {...}, onEvent(e) {...}, onStatus(connected) {...},
//                           onSide(msg) {...} });
//   live.start();
//
// Side-band messages (SIDE_TYPES) say something about time rather than a
// change of state (the end-of-day cutoff moving as the clock runs): they
// carry the current seq but do not advance it, and go to onSide.
export const SIDE_TYPES = new Set(["cutoff", "print_failed"]);

export class Live {
  constructor({ onSnapshot, onEvent, onStatus, onSide, path = "/api/v1/ws" } = {}) {
    this.onSnapshot = onSnapshot || (() => {});
    this.onEvent = onEvent || (() => {});
    this.onStatus = onStatus || (() => {});
    this.onSide = onSide || (() => {});
    this.path = path;
    this.seq = 0;
    this.delay = 250;
    this.ws = null;
    this.stopped = false;
    this.connected = false;
  }

  start() { this.stopped = false; this.connect(); return this; }

  stop() { this.stopped = true; if (this.ws) this.ws.close(); }

  connect() {
    if (this.stopped) return;
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const q = this.seq > 0 ? `?since=${this.seq}` : "";
    const ws = new WebSocket(`${proto}//${location.host}${this.path}${q}`);
    this.ws = ws;
    let alive = null;
    const kick = () => { clearTimeout(alive); alive = setTimeout(() => ws.close(), 70000); };
    ws.onopen = () => { this.delay = 250; this.setStatus(true); kick(); };
    ws.onmessage = (m) => {
      kick();
      let msg;
      try { msg = JSON.parse(m.data); } catch { ws.close(); return; }
      if (msg.type === "snapshot") {
        this.seq = msg.seq;
        this.onSnapshot(msg.snapshot, msg.seq);
        return;
      }
      if (SIDE_TYPES.has(msg.type)) { this.onSide(msg); return; }
      if (msg.seq <= this.seq) return; // already seen
      if (this.seq > 0 && msg.seq !== this.seq + 1) { this.seq = 0; ws.close(); return; } // gap: resync
      this.seq = msg.seq;
      if (msg.type !== "noop") this.onEvent(msg);
    };
    ws.onclose = () => {
      clearTimeout(alive);
      if (this.ws !== ws) return;
      this.setStatus(false);
      if (this.stopped) return;
      const wait = this.delay / 2 + Math.random() * this.delay / 2;
      this.delay = Math.min(this.delay * 2, 5000);
      setTimeout(() => this.connect(), wait);
    };
  }

  setStatus(c) {
    if (c !== this.connected) { this.connected = c; this.onStatus(c); }
  }
}

/** Applies an event to a public or staff snapshot kept by the page: tickets
 * by number, desks by number, recent calls; returns the snapshot. */
export function applyEvent(snap, ev) {
  if (!snap) return snap;
  if (ev.type === "day.started") {
    snap.tickets = []; snap.calls = []; snap.day = ev.day;
    for (const d of snap.desks) { d.status = "closed"; delete d.ticket_number; }
    for (const k of Object.keys(snap.waiting)) snap.waiting[k] = 0;
    return snap;
  }
  if (ev.ticket) {
    const t = ev.ticket;
    const i = snap.tickets.findIndex((x) => x.number === t.number);
    const active = ["waiting", "called", "serving"].includes(t.status);
    if (i >= 0) { if (active) snap.tickets[i] = { ...snap.tickets[i], ...t }; else snap.tickets.splice(i, 1); }
    else if (active) snap.tickets.push(t);
    if (ev.type === "ticket.called" || ev.type === "ticket.recalled") {
      snap.calls.unshift({ number: t.number, desk: t.desk, at: ev.at, recall: ev.type === "ticket.recalled" });
      snap.calls = snap.calls.slice(0, 20);
    }
  }
  if (ev.desk) {
    const i = snap.desks.findIndex((d) => d.number === ev.desk.number);
    if (i >= 0) snap.desks[i] = ev.desk; else snap.desks.push(ev.desk);
  }
  recount(snap);
  return snap;
}

function recount(snap) {
  for (const k of Object.keys(snap.waiting)) snap.waiting[k] = 0;
  for (const t of snap.tickets) if (t.status === "waiting") snap.waiting[t.service] = (snap.waiting[t.service] || 0) + 1;
}

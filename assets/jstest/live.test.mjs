// Unit tests of live.js, the pages' websocket: a fake WebSocket stands in
// for the browser's, and node's mock timers for the clock. The server side
// of the same protocol is tested with a real websocket in
// server/protocol_test.go.
import { test, beforeEach, afterEach, mock } from "node:test";
import assert from "node:assert/strict";
import { Live } from "../web/js/live.js";
import { OFFLINE_AFTER_MS, RECONNECT_MAX_MS, PROTOCOL, CLOSE_UNKNOWN_TICKET } from "../web/js/wire.js";

// send is the server's side: a message to the page; sent holds what the
// page sent.
class FakeSocket {
  static all = [];
  constructor(url) { this.url = url; this.closed = false; this.sent = []; FakeSocket.all.push(this); }
  close() { this.closed = true; } // a dead link never reports its close
  open() { this.onopen?.(); }
  send(msg) { if (typeof msg === "string") this.sent.push(JSON.parse(msg)); else this.onmessage?.({ data: JSON.stringify(msg) }); }
  drop(code = 1006) { this.closed = true; this.onclose?.({ code }); }
}

let got;
function start() {
  got = { snapshots: [], events: [], side: [], status: [] };
  return new Live({
    onSnapshot: (s, seq) => got.snapshots.push(seq),
    onEvent: (e) => got.events.push(e.seq),
    onSide: (m) => got.side.push(m.type),
    onStatus: (up) => got.status.push(up),
  }).start();
}
const last = () => FakeSocket.all.at(-1);
const snapshot = (seq) => ({ seq, type: "snapshot", snapshot: { seq, tickets: [], desks: [], waiting: {}, calls: [] } });
const issued = (seq) => ({ seq, type: "ticket.issued", ticket: { number: `A00${seq}`, status: "waiting" } });

beforeEach(() => {
  FakeSocket.all = [];
  globalThis.WebSocket = FakeSocket;
  globalThis.location = { protocol: "http:", host: "hall:8080" };
  mock.timers.enable({ apis: ["setTimeout"] });
});
afterEach(() => mock.timers.reset());

test("states its protocol, and resumes after the last event it saw", () => {
  const live = start();
  assert.equal(last().url, `ws://hall:8080/api/v1/ws?protocol=${PROTOCOL}`);
  last().open();
  last().send(snapshot(5));
  last().send(issued(6));
  last().drop();
  assert.deepEqual(got.status, [true, false]);
  mock.timers.tick(RECONNECT_MAX_MS);
  assert.equal(FakeSocket.all.length, 2);
  assert.equal(last().url, `ws://hall:8080/api/v1/ws?protocol=${PROTOCOL}&since=6`);
  live.stop();
});

test("a quiet connection stays while the server's pings come; a silent one is dropped and opened again", () => {
  const live = start();
  const ws = last();
  ws.open();
  ws.send({ type: "hello", protocol: 2, keepalive_ms: 400, offline_after_ms: 1000 });
  ws.send(snapshot(5));
  for (let i = 0; i < 10; i++) { mock.timers.tick(400); ws.send({ type: "ping" }); }
  assert.equal(ws.closed, false, "dropped while pings came");
  assert.deepEqual(got.status, [true]);
  assert.deepEqual(got.events, [], "a ping is no event");
  mock.timers.tick(999);
  assert.equal(ws.closed, false);
  mock.timers.tick(1);
  assert.equal(ws.closed, true, "kept a connection silent past offline_after_ms");
  assert.deepEqual(got.status, [true, false]);
  mock.timers.tick(RECONNECT_MAX_MS);
  assert.equal(FakeSocket.all.length, 2, "did not open a new connection");
  live.stop();
});

test("before the hello, wire.js's threshold applies", () => {
  const live = start();
  last().open();
  mock.timers.tick(OFFLINE_AFTER_MS - 1);
  assert.equal(last().closed, false);
  mock.timers.tick(1);
  assert.equal(FakeSocket.all[0].closed, true);
  live.stop();
});

test("side messages go to onSide and leave the sequence alone", () => {
  const live = start();
  last().open();
  last().send(snapshot(5));
  last().send({ seq: 5, type: "print_failed", kiosk: "kiosk1", number: "A005" });
  last().send({ seq: 5, type: "cutoff", cutoff: null });
  last().send(issued(6));
  assert.deepEqual(got.side, ["print_failed", "cutoff"]);
  assert.deepEqual(got.events, [6]);
  live.stop();
});

test("a noop moves the sequence on unseen; a gap asks for a fresh snapshot", () => {
  const live = start();
  last().open();
  last().send(snapshot(5));
  last().send({ seq: 6, type: "noop" });
  last().send(issued(7));
  last().send(issued(7)); // a repeat
  assert.deepEqual(got.events, [7]);
  last().send(issued(9)); // 8 is missing
  assert.equal(FakeSocket.all[0].closed, true);
  mock.timers.tick(RECONNECT_MAX_MS);
  assert.equal(last().url, `ws://hall:8080/api/v1/ws?protocol=${PROTOCOL}`, "resumed after a gap instead of resyncing");
  live.stop();
});

test("the ticket stream names its ticket in the first message, never in the URL", () => {
  got = { events: [], side: [], ended: 0 };
  const live = new Live({ watch: "SECRET-TOKEN", onEvent: (e) => got.events.push(e.seq), onSide: (m) => got.side.push(m.type),
    onEnd: () => got.ended++ }).start();
  assert.equal(last().url, `ws://hall:8080/api/v1/ws?protocol=${PROTOCOL}&stream=ticket`);
  last().open();
  assert.deepEqual(last().sent, [{ type: "watch", ticket: "SECRET-TOKEN" }]);
  last().send({ seq: 9, type: "ticket", ticket: { number: "A009", status: "waiting", ahead: 3 } });
  // The stream is filtered: calls come with gaps in their seqs, and that is no reason to resync.
  last().send({ seq: 12, type: "ticket.called", ticket: { number: "A007", desk: 2 } });
  last().send({ seq: 15, type: "ticket.called", ticket: { number: "A008", desk: 1 } });
  assert.deepEqual(got.events, [12, 15]);
  assert.deepEqual(got.side, ["ticket"]);
  assert.equal(last().closed, false);
  // A reconnection watches again, without since.
  last().drop();
  mock.timers.tick(RECONNECT_MAX_MS);
  assert.equal(FakeSocket.all.length, 2);
  assert.equal(last().url, `ws://hall:8080/api/v1/ws?protocol=${PROTOCOL}&stream=ticket`);
  last().open();
  assert.deepEqual(last().sent, [{ type: "watch", ticket: "SECRET-TOKEN" }]);
  // A ticket the server does not know ends the stream for good.
  last().drop(CLOSE_UNKNOWN_TICKET);
  assert.equal(got.ended, 1);
  mock.timers.tick(10 * RECONNECT_MAX_MS);
  assert.equal(FakeSocket.all.length, 2, "reconnected to a ticket the server does not know");
  live.stop();
});

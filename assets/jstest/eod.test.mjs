// Unit tests of eod.js, the end-of-day words the pages show. The inputs
// are the server's answers as its Go types encode them (assets/js_test.go
// writes them): a 17:00 closing in Vilnius, 8 waiting, 6 of them
// (up to A006) still served today.
import { fixtures } from "./env.mjs";
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { loadEod, bannerText, statusNotice, kioskNotice } from "../web/js/eod.js";

let fx;
before(async () => {
  fx = await fixtures("LANGELIS_EOD_FIXTURES");
  await loadEod(["lt", "en", "ru", "pl", "uk"]);
});

test("the hall banner gives the count, the closing and the last ticket", () => {
  assert.equal(bannerText("lt", fx.cutoff, fx.office),
    "Darbo diena baigiasi 17:00. Šiandien dar bus aptarnauti 6 klientai, iki bilieto A006.");
  assert.equal(bannerText("en", fx.cutoff, fx.office),
    "The office closes at 17:00. 6 more clients can still be served today, up to ticket A006.");
  assert.equal(bannerText("en", fx.cutoffNone, fx.office),
    "The office closes at 17:00. No more waiting clients can be served today.");
});

test("no banner before the notice time or on a day without closing", () => {
  assert.equal(bannerText("lt", fx.cutoffEarly, fx.office), null);
  assert.equal(bannerText("lt", null, fx.office), null);
});

test("the kiosk warns before issuing a ticket beyond the cutoff", () => {
  const n = kioskNotice("lt", fx.previewWarn, fx.office);
  assert.equal(n.action, "warn");
  assert.equal(n.text, "Prieš jus eilėje: 8 klientai. Darbo diena baigiasi 17:00. Šis bilietas šiandien greičiausiai nebus aptarnautas.");
  assert.ok(n.take && n.back);
});

test("the kiosk stops, or says when the office opens, and issues freely otherwise", () => {
  const stop = kioskNotice("en", fx.previewStop, fx.office);
  assert.equal(stop.action, "stop");
  assert.equal(stop.take, null);
  assert.match(stop.text, /^The office closes at 17:00\. No more tickets for this service/);
  const closed = kioskNotice("en", fx.previewClosed, fx.office);
  assert.equal(closed.action, "closed");
  assert.equal(closed.text, "The office is closed. It opens 2026-11-24 08:00.");
  assert.equal(kioskNotice("en", fx.previewIssue, fx.office), null);
});

test("a visitor within the cutoff hears when, once the announcements are due", () => {
  assert.equal(statusNotice("lt", fx.first, fx.cutoff, fx.office).text, "Tikėtina, kad šiandien būsite aptarnauti, apie 16:00.");
  assert.equal(statusNotice("lt", fx.first, fx.cutoffEarly, fx.office), null);
});

test("a visitor beyond the cutoff is told plainly and offered to give up the place", () => {
  const n = statusNotice("ru", fx.seventh, fx.cutoff, fx.office);
  assert.equal(n.today, false);
  assert.equal(n.text, "Рабочий день заканчивается в 17:00. Ваш талон A007, скорее всего, сегодня не будет обслужен: ещё будут обслужены 6 клиентов, до талона A006.");
  assert.equal(n.button, "Отказаться от места");
  // Even before the notice time: the visitor should know early.
  assert.equal(statusNotice("en", fx.seventh, fx.cutoffEarly, fx.office).today, false);
});

test("a visitor the hall's figure counts in but priority visitors overtook is told plainly, without the figure", () => {
  // The hall's cutoff knows no priority (up to A006); the ticket's own
  // answer comes from the real policy (not today).
  const n = statusNotice("en", fx.overtaken, fx.cutoff, fx.office);
  assert.equal(n.today, false);
  assert.equal(n.text, "The office closes at 17:00. Your ticket A004 is unlikely to be served today.");
});

test("nothing to say about a ticket that no longer waits or that the server cannot place", () => {
  assert.equal(statusNotice("lt", fx.called, fx.cutoff, fx.office), null);
  assert.equal(statusNotice("lt", fx.unplaced, fx.cutoff, fx.office), null);
});

// Unit tests of eod.js, the end-of-day words the pages show. The inputs
// are the server's answers as its Go types encode them (assets/js_test.go
// writes them): a 17:00 closing in Vilnius, 8 waiting, 6 of them
// (up to A006) still served today.
import { fixtures } from "./env.mjs";
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { loadEod, bannerText, statusNotice, kioskNotice, callText, percent } from "../web/js/eod.js";

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

test("an empty hall near closing is not told that no more can be served", () => {
  const empty = { ...fx.cutoffEmpty, notice: true };
  assert.equal(bannerText("en", empty, fx.office), "The office closes at 17:00. No one is waiting now.");
  for (const lang of ["lt", "ru", "pl", "uk"]) assert.doesNotMatch(bannerText(lang, empty, fx.office), /nebespėsime|не успеем|nie zdążymy|не встигнемо/, lang);
});

test("no banner before the notice time or on a day without closing", () => {
  assert.equal(bannerText("lt", fx.cutoffEarly, fx.office), null);
  assert.equal(bannerText("lt", null, fx.office), null);
});

test("the kiosk warns before issuing a ticket beyond the cutoff, plainly and with the hall's figure", () => {
  const n = kioskNotice("lt", fx.previewWarn, fx.office);
  assert.equal(n.action, "warn");
  assert.equal(n.title, "Šiandien jūsų greičiausiai nebespėsime aptarnauti.");
  assert.equal(n.text, "Darbo diena baigiasi 17:00. Šiandien dar bus aptarnauti 6 klientai, iki bilieto A006. Prieš jus eilėje: 8 klientai.");
  assert.ok(n.take && n.back);
});

test("with no open desk for the service, the kiosk says that, and no other service's number", () => {
  const n = kioskNotice("pl", fx.previewNoDesk, fx.office);
  assert.equal(n.action, "warn");
  assert.equal(n.title, "Obecnie żadne okienko nie obsługuje tej usługi.");
  assert.ok(!/A0\d\d/.test(n.title + n.text), n.text);
  assert.ok(n.take && n.back);
});

test("the kiosk stops, or says when the office opens, and issues freely otherwise", () => {
  const stop = kioskNotice("en", fx.previewStop, fx.office);
  assert.equal(stop.action, "stop");
  assert.equal(stop.take, null);
  assert.equal(stop.title, "No more tickets for this service today.");
  assert.equal(stop.text, "The office closes at 17:00. 6 more clients can still be served today, up to ticket A006. "
    + "We could not serve you before closing. Please come back on another working day.");
  const closed = kioskNotice("en", fx.previewClosed, fx.office);
  assert.equal(closed.action, "closed");
  assert.equal(closed.title, "The office is closed. It opens tomorrow at 08:00.");
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

test("a visitor beyond the cutoff hears how far their own service's line gets", () => {
  assert.equal(statusNotice("en", fx.bLate, fx.cutoffTwo, fx.office).text,
    "The office closes at 17:00. Your ticket B005 is unlikely to be served today: 3 more clients can still be served, up to ticket B003.");
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

test("with the forecast the hall hears a range, 'at most', or one number", () => {
  assert.equal(bannerText("lt", fx.cutoffRange, fx.office), "Darbo diena baigiasi 17:00. Šiandien dar bus aptarnauta nuo 4 iki 7 klientų.");
  assert.equal(bannerText("en", fx.cutoffRange, fx.office), "The office closes at 17:00. Between 4 and 7 more clients can still be served today.");
  assert.equal(bannerText("ru", fx.cutoffRange, fx.office), "Рабочий день заканчивается в 17:00. Сегодня ещё будут обслужены от 4 до 7 клиентов.");
  assert.equal(bannerText("pl", fx.cutoffRange, fx.office), "Urząd zamyka się o 17:00. Dziś zostanie jeszcze obsłużonych od 4 do 7 klientów.");
  assert.equal(bannerText("uk", fx.cutoffRange, fx.office), "Робочий день закінчується о 17:00. Сьогодні ще буде обслуговано від 4 до 7 клієнтів.");
  assert.equal(bannerText("lt", fx.cutoffUpto, fx.office), "Darbo diena baigiasi 17:00. Šiandien dar spėsime aptarnauti iki 2 klientų.");
  // Certain: one number, with the last ticket when it is the projection's count.
  assert.equal(bannerText("lt", fx.cutoffSure, fx.office), "Darbo diena baigiasi 17:00. Šiandien dar bus aptarnauti 6 klientai, iki bilieto A006.");
  assert.equal(bannerText("en", fx.cutoffSureOther, fx.office), "The office closes at 17:00. 5 more clients can still be served today.");
  assert.equal(bannerText("en", fx.cutoffSureNone, fx.office), "The office closes at 17:00. No more waiting clients can be served today.");
});

test("a visitor's page follows their chance of being served today", () => {
  assert.equal(statusNotice("lt", fx.likely, fx.cutoff, fx.office).text, "Tikėtina, kad šiandien būsite aptarnauti apie 16:10 (tarp 16:02 ir 16:25).");
  const maybe = statusNotice("en", fx.maybe, fx.cutoff, fx.office);
  assert.equal(maybe.text, "The office closes at 17:00. The chance that you are served today is about 70%; if so, most likely at about 16:40.");
  assert.equal(maybe.button, null);
  // Likely or maybe: said only once the announcements are due.
  assert.equal(statusNotice("lt", fx.maybe, fx.cutoffEarly, fx.office), null);
  // Unlikely (below one in two): told plainly with the chance, whatever
  // the hour, and offered to give up the place; no chance worth a number: none.
  const un = statusNotice("ru", fx.unlikely, fx.cutoffEarly, fx.office);
  assert.equal(un.today, false);
  assert.equal(un.text, "Рабочий день заканчивается в 17:00. Ваш талон A006, скорее всего, сегодня не будет обслужен: вероятность всего около 30 %.");
  assert.equal(un.button, "Отказаться от места");
  assert.equal(statusNotice("pl", fx.hopeless, fx.cutoff, fx.office).text, "Urząd zamyka się o 17:00. Twój bilet A008 prawdopodobnie nie zostanie dziś obsłużony.");
});

test("the kiosk says 'most likely not' below one in two, the chance above it, and the last number with a range", () => {
  const n = kioskNotice("uk", fx.previewWarnP, fx.office);
  assert.equal(n.action, "warn");
  assert.equal(n.title, "Сьогодні вас, найімовірніше, уже не встигнуть обслужити.");
  assert.equal(n.text, "Робочий день закінчується о 17:00. Сьогодні ще буде обслуговано 6 клієнтів, до талона A006. Перед вами в черзі: 8 клієнтів.");
  const m = kioskNotice("en", fx.previewMaybeRange, fx.office);
  assert.equal(m.title, "You may not be served today: the chance that you are is about 70%.");
  assert.equal(m.text, "The office closes at 17:00. Between 4 and 7 more clients can still be served today. "
    + "The last ticket called today will be about A006. 8 clients are ahead of you.");
});

test("a call range in words", () => {
  assert.equal(callText("lt", fx.likely.estimated_call_range, fx.office), "apie 16:10 (tarp 16:02 ir 16:25)");
  assert.equal(callText("en", fx.maybe.estimated_call_range, fx.office), "at about 16:40 or later (possibly not today)");
  assert.equal(callText("en", fx.hopeless.estimated_call_range, fx.office), null);
  assert.equal(percent(0.04), 10);
  assert.equal(percent(0.66), 70);
  assert.equal(percent(0.999), 90);
});

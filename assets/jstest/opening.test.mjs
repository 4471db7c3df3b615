// Unit tests of takeflow.js's opening(): when the office opens again, as
// words that follow "We open again", in the five languages, by the
// office's clock (office.now) rather than the device's. The kiosk, /take
// and the status page put it into their closed-office sentences; the
// browser tests (internal/e2e) read those sentences on the pages.
import "./env.mjs";
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { load, t } from "../web/js/i18n.js";
import { opening } from "../web/js/takeflow.js";

before(() => load(["lt", "en", "ru", "pl", "uk"], ["kiosk", "visitor"]));

// Monday 2026-11-23, 21:00 in Vilnius (EET, UTC+2).
const office = { time_zone: "Europe/Vilnius", now: "2026-11-23T19:00:00Z" };
const tuesday8 = "2026-11-24T06:00:00Z";
const nextMonday8 = "2026-11-30T06:00:00Z";
const today13 = "2026-11-23T11:00:00Z";

test("tomorrow, today and a weekday, in each language's own grammar", () => {
  const cases = [
    ["lt", tuesday8, "rytoj 08:00"], ["lt", today13, "šiandien 13:00"], ["lt", "2026-11-26T06:00:00Z", "ketvirtadienį 08:00"],
    ["en", tuesday8, "tomorrow at 08:00"], ["en", today13, "today at 13:00"], ["en", "2026-11-26T06:00:00Z", "on Thursday at 08:00"],
    ["ru", tuesday8, "завтра в 08:00"], ["ru", "2026-11-25T06:00:00Z", "в среду в 08:00"],
    ["pl", today13, "dziś o 13:00"], ["pl", "2026-11-25T06:00:00Z", "w środę o 08:00"],
    ["uk", tuesday8, "завтра о 08:00"], ["uk", "2026-11-28T09:00:00Z", "у суботу об 11:00"],
  ];
  for (const [lang, iso, want] of cases) assert.equal(opening(iso, office, lang), want, lang + " " + iso);
});

test("from Saturday the office opens on Monday: 'pirmadienį', 'в понедельник', 'w poniedziałek', 'у понеділок'", () => {
  const saturday = { ...office, now: "2026-11-28T19:00:00Z" };
  const monday = "2026-11-30T06:00:00Z";
  assert.equal(t("lt", "kiosk.closed", { when: opening(monday, saturday, "lt") }), "Padalinys dabar nedirba. Vėl dirbsime pirmadienį 08:00.");
  assert.equal(t("en", "kiosk.closed", { when: opening(monday, saturday, "en") }), "The office is closed now. We open again on Monday at 08:00.");
  assert.equal(t("ru", "kiosk.closed", { when: opening(monday, saturday, "ru") }), "Сейчас отдел не работает. Мы снова откроемся в понедельник в 08:00.");
  assert.equal(t("pl", "kiosk.closed", { when: opening(monday, saturday, "pl") }), "Urząd jest teraz nieczynny. Zapraszamy ponownie w poniedziałek o 08:00.");
  assert.equal(t("uk", "kiosk.closed", { when: opening(monday, saturday, "uk") }), "Зараз відділ не працює. Ми знову відкриємося у понеділок о 08:00.");
});

test("a week or more away: the date", () => {
  assert.equal(opening(nextMonday8, office, "lt"), "lapkričio 30 d. 08:00");
  assert.equal(opening(nextMonday8, office, "en"), "on 30 November at 08:00");
  assert.equal(opening(nextMonday8, office, "ru"), "30 ноября в 08:00");
  assert.equal(opening(nextMonday8, office, "pl"), "30 listopada o 08:00");
  assert.equal(opening(nextMonday8, office, "uk"), "30 листопада о 08:00");
});

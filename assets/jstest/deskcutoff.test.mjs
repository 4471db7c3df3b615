// Unit tests of the desk's cutoff line (eod.js's deskCutoffText), with the
// server's own cutoff as assets/js_test.go writes it.
import { fixtures } from "./env.mjs";
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { load } from "../web/js/i18n.js";
import { deskCutoffText } from "../web/js/eod.js";

let fx;
before(async () => {
  fx = await fixtures("LANGELIS_EOD_FIXTURES");
  await load(["lt", "en", "ru", "pl", "uk"], ["desk"]);
});

test("the desk gives the count of the waiting it can still call, or that it can call none", () => {
  assert.match(deskCutoffText("en", fx.cutoff), /6/);
  assert.equal(deskCutoffText("lt", fx.cutoffNone), "Šiandien daugiau bilietų pakviesti nespėsime");
});

test("with no one waiting the desk does not say it cannot call more today", () => {
  for (const lang of ["lt", "en", "ru", "pl", "uk"]) assert.equal(deskCutoffText(lang, fx.cutoffEmpty), "", lang);
  assert.equal(deskCutoffText("lt", null), "");
});

// The kiosk's "I have a booking" (issue 17): the visitor types the code of
// their booking on the on-screen keypad (or a keyboard) and, within the
// check-in window, gets a normal numbered ticket, shown like any other.
// Too early, the server says when to come back; too late, the visitor is
// offered a regular ticket. Nothing on screen says a ticket was booked.
import { t } from "./i18n.js";
import { clock } from "./eod.js";

const ALPHABET = "ACEFGHJKMNPRTWXY34679"; // queue.CodeAlphabet
const LENGTH = 8;                        // queue.CodeLength
const NOT_TYPING = ["booking-back", "booking-erase", "booking-walkin"]; // buttons Enter chooses

const $ = (id) => document.getElementById(id);

/** Sets up the booking screen. k gives what the kiosk page owns: lang(),
 * kiosk (its name), office(), show(id), error(text, words) (null: clear;
 * words: what the voice says of it), busy(on), ticket(body), which shows
 * an issued ticket, and voice() (kioskvoice.js, or null when it is off). */
export function bookingScreen(k) {
  let code = "";
  const draw = () => {
    $("booking-code").textContent = code.length > 4 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
    $("booking-ok").disabled = code.length !== LENGTH;
  };
  const type = (ch) => {
    if (code.length < LENGTH && ALPHABET.includes(ch)) {
      code += ch;
      k.voice()?.typed(ch, code.length === LENGTH);
    }
    draw();
  };
  const erase = () => {
    k.voice()?.erased(code.slice(-1));
    code = code.slice(0, -1);
    draw();
  };
  const pad = $("keypad");
  for (const ch of ALPHABET) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = ch;
    b.dataset.key = ch;
    b.addEventListener("click", () => type(ch));
    pad.append(b);
  }
  const del = document.createElement("button");
  del.type = "button";
  del.className = "erase";
  del.id = "booking-erase";
  del.dataset.i18n = "kiosk.booking.erase";
  del.addEventListener("click", erase);
  pad.append(del);

  async function checkIn() {
    if (code.length !== LENGTH) return;
    k.busy(true);
    let r = null;
    let body = null;
    try {
      r = await fetch(`/api/v1/bookings/${code}/check-in`, {
        method: "POST", headers: { "Content-Type": "application/json", "Accept-Language": k.lang() },
        body: JSON.stringify({ lang: k.lang(), kiosk: k.kiosk }), cache: "no-store",
      });
      body = await r.json().catch(() => null);
    } catch {
      r = null;
    }
    k.busy(false);
    if (r?.ok && body) {
      code = "";
      draw();
      k.error(null); // an earlier "too early" is over
      k.ticket(body);
      return;
    }
    $("booking-walkin").hidden = body?.error?.code !== "too_late";
    if (!$("booking-walkin").hidden && k.voice()) $("booking-walkin").focus();
    const words = r ? await refusalWords(body?.error?.code) : [{ key: "kiosk.offline" }];
    k.error(body?.error?.message || t(k.lang(), r ? "kiosk.error" : "kiosk.offline"), words);
  }

  /** What the voice says of a refused check-in: the reason, as the screen
   * shows it. The server's message is words the voice route does not
   * speak; its values (the booking's time, when check-in opens) come from
   * the booking itself, which the code just typed opens to anyone. */
  async function refusalWords(reason) {
    if (reason === "not_found") return [{ key: "voice.booking.unknown" }];
    if (reason !== "too_early" && reason !== "too_late" && reason !== "conflict") return [{ key: "voice.booking.failed" }];
    let bk = null;
    try {
      const r = await fetch(`/api/v1/bookings/${code}`, { cache: "no-store" });
      bk = r.ok ? await r.json() : null;
    } catch { /* said as a failure */ }
    const tz = k.office()?.time_zone;
    if (bk && reason === "too_early") {
      return [{ key: "voice.booking.early", vars: { time: clock(bk.start, tz), from: clock(bk.check_in_from, tz) } }];
    }
    if (bk && reason === "too_late") return [{ key: "voice.booking.late", vars: { time: clock(bk.start, tz) } }];
    if (bk?.status === "checked_in" && bk.number) return [{ key: "voice.booking.checked_in", vars: { number: bk.number } }];
    return [{ key: "voice.booking.failed" }];
  }

  $("have-booking").addEventListener("click", () => {
    code = "";
    draw();
    $("booking-walkin").hidden = true;
    k.error(null);
    k.show("booking");
  });
  $("booking-ok").addEventListener("click", checkIn);
  $("booking-back").addEventListener("click", () => { k.error(null); k.show("start"); });
  $("booking-walkin").addEventListener("click", () => { k.error(null); k.show("start"); });
  // The character event of an Enter would still press the keypad's key.
  document.addEventListener("keypress", (ev) => {
    if (!$("booking").hidden && ev.key === "Enter" && !enterChooses(ev.target)) ev.preventDefault();
  });
  document.addEventListener("keydown", (ev) => {
    if ($("booking").hidden || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    if (ev.key === "Backspace") { erase(); ev.preventDefault(); return; }
    // Enter checks in with the code complete; before that it chooses
    // only the screen's other buttons (back, erase, a regular ticket): on
    // a key of the keypad it would type a character the visitor did not
    // mean, so it says how far the code is instead.
    if (ev.key === "Enter" && code.length === LENGTH) { checkIn(); ev.preventDefault(); return; }
    if (ev.key === "Enter" && !enterChooses(ev.target)) {
      ev.preventDefault();
      k.voice()?.incomplete(code);
      return;
    }
    if (ev.key.length === 1 && !(ev.target instanceof HTMLButtonElement && ev.key === " ")) type(ev.key.toUpperCase());
  });
  draw();
  /** Whether Enter on el is a choice (back, erase, a regular ticket) rather
   * than the end of the code. */
  function enterChooses(el) {
    return el instanceof HTMLButtonElement && NOT_TYPING.includes(el.id) && code.length < LENGTH;
  }
  return {
    /** The code typed so far. */
    code: () => code,
    /** Shows the button when a service of the office may be booked. */
    render(office) { $("have-booking").hidden = !(office?.services || []).some((s) => s.booking); },
  };
}

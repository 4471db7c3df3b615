// The kiosk's "I have a booking" (issue 17): the visitor types the code of
// their booking on the on-screen keypad (or a keyboard) and, within the
// check-in window, gets a normal numbered ticket, shown like any other.
// Too early, the server says when to come back; too late, the visitor is
// offered a regular ticket. Nothing on screen says a ticket was booked.
import { t } from "./i18n.js";

const ALPHABET = "ACEFGHJKMNPRTWXY34679"; // queue.CodeAlphabet
const LENGTH = 8;                        // queue.CodeLength

const $ = (id) => document.getElementById(id);

/** Sets up the booking screen. k gives what the kiosk page owns: lang(),
 * kiosk (its name), show(id), error(text) (null: clear), busy(on), and
 * ticket(body), which shows an issued ticket. */
export function bookingScreen(k) {
  let code = "";
  const draw = () => {
    $("booking-code").textContent = code.length > 4 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
    $("booking-ok").disabled = code.length !== LENGTH;
  };
  const type = (ch) => {
    if (code.length < LENGTH && ALPHABET.includes(ch)) code += ch;
    draw();
  };
  const erase = () => { code = code.slice(0, -1); draw(); };
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
    k.error(body?.error?.message || t(k.lang(), r ? "kiosk.error" : "kiosk.offline"));
    $("booking-walkin").hidden = body?.error?.code !== "too_late";
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
  document.addEventListener("keydown", (ev) => {
    if ($("booking").hidden || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    if (ev.key === "Backspace") { erase(); ev.preventDefault(); return; }
    if (ev.key === "Enter" && code.length === LENGTH) { checkIn(); ev.preventDefault(); return; }
    if (ev.key.length === 1 && !(ev.target instanceof HTMLButtonElement && ev.key === " ")) type(ev.key.toUpperCase());
  });
  draw();
  return {
    /** Shows the button when a service of the office may be booked. */
    render(office) { $("have-booking").hidden = !(office?.services || []).some((s) => s.booking); },
  };
}

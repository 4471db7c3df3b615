// The counter display above one desk (/display/desk/N): the number the
// desk calls or serves now, a break, or that the desk is closed. Live over
// the websocket like the hall display.
import { Live, applyEvent } from "./live.js";
import { load, t, useOffice } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const deskNo = Number(location.pathname.split("/").pop());
// first and second are the office's first two languages.
let office = null, snap = null, first = document.documentElement.lang, second = null;

async function main() {
  office = await (await fetch("/api/v1/office")).json();
  ({ first, second } = useOffice(office));
  await load([first, second].filter(Boolean), ["display"]);
  document.documentElement.lang = first;
  if (second) $("state-2").lang = second;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(first, el.dataset.i18n);
  $("desk-number").textContent = deskNo;
  new Live({
    onSnapshot: (s) => { snap = s; render(); },
    onEvent: (ev) => {
      if (!snap) return;
      applyEvent(snap, ev);
      render(ev.type === "ticket.recalled" && ev.ticket.desk === deskNo);
    },
    onStatus: (up) => { $("status").hidden = up; },
  }).start();
}

/** What the desk is doing: closed, paused, open (free), called or serving. */
function deskState() {
  const d = snap.desks.find((x) => x.number === deskNo);
  if (!d || d.status === "closed") return ["closed", ""];
  if (d.status === "paused") return ["paused", ""];
  if (!d.ticket_number) return ["open", ""];
  const tk = snap.tickets.find((x) => x.number === d.ticket_number);
  return [tk && tk.status === "serving" ? "serving" : "called", d.ticket_number];
}

function render(recalled = false) {
  const [st, number] = deskState();
  if (recalled) { // flash the same number again
    const el = $("number");
    el.style.animation = "none"; void el.offsetWidth; el.style.animation = "";
  }
  const changed = document.body.dataset.state !== st || $("number").textContent !== number;
  if (!changed) return;
  document.body.dataset.state = st;
  $("state-lt").textContent = t(first, `display.counter.${st}`);
  $("state-2").textContent = second ? t(second, `display.counter.${st}`) : "";
  $("number").textContent = number;
}

if (!Number.isInteger(deskNo) || deskNo < 1) document.body.textContent = "Langelio numeris? /display/desk/1";
else main().catch((e) => { console.error("counter:", e); setTimeout(() => location.reload(), 5000); });

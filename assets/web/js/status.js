// A visitor's own ticket (/t/TOKEN): number, status, place and estimate,
// and the desk once called, kept current over the websocket's ticket
// stream, which carries this ticket, the calls and the cutoff rather than
// the whole hall. The token goes to GET /api/v1/tickets/TOKEN and inside
// the websocket's first message, never into its URL; the page shows
// nothing about anyone else.
import { load, t, apply, LANGS } from "./i18n.js";
import { Live } from "./live.js";
import { KIND, EVENT } from "./wire.js";
import { bannerText, loadEod } from "./eod.js";
import { languageButtons, aheadText, estimateText, unavailable } from "./takeflow.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());
let lang = null;
let office = null;
let ticket = null;
let cutoff = null;
let online = true;

async function refresh() {
  try {
    const r = await fetch(`/api/v1/tickets/${encodeURIComponent(token)}`, { cache: "no-store" });
    const body = await r.json().catch(() => null);
    if (body?.error?.code === "not_found") { ticket = null; $("missing").hidden = false; $("ticket").hidden = true; return; }
    if (!r.ok || !body) return;
    ticket = body;
    if (!lang) lang = LANGS.includes(ticket.lang) ? ticket.lang : "lt";
    render();
  } catch { /* the websocket reports the outage */ }
}

function setLang(l) { lang = l; render(); }

function render() {
  apply(document, lang || "lt");
  languageButtons($("langs"), LANGS, lang, setLang);
  $("offline").hidden = online;
  $("offline").textContent = t(lang, "offline");
  renderEod();
  if (!ticket) return;
  $("ticket").hidden = false;
  $("number").textContent = ticket.number;
  const s = office?.services.find((x) => x.letter === ticket.service);
  $("service").textContent = s ? (s.names[lang] || s.names.lt) : ticket.service_name;
  const st = ticket.status;
  $("status").textContent = t(lang, `status.${st}`, { desk: ticket.desk ?? "" });
  const waiting = st === "waiting";
  $("ahead").textContent = waiting ? aheadText(lang, ticket.ahead) : "";
  $("estimate").textContent = waiting ? estimateText(lang, ticket.estimated_call_at, office) : "";
  const canCancel = st === "waiting" || st === "called";
  $("cancel").hidden = !canCancel || !$("confirm").hidden;
  if (!canCancel) $("confirm").hidden = true;
}

/** The spot for this visitor's end-of-day notice; the end-of-day work
 * decides its words per ticket. */
function renderEod() {
  const text = ticket?.status === "waiting" && cutoff && office ? bannerText(lang, cutoff, office) : null;
  $("eod").hidden = !text;
  $("eod").textContent = text || "";
}

async function cancel() {
  try {
    const r = await fetch(`/api/v1/tickets/${encodeURIComponent(token)}/cancel`, { method: "POST" });
    if (r.ok) ticket = { ...ticket, ...(await r.json()) };
  } catch { /* shown as offline */ }
  $("confirm").hidden = true;
  render();
}

async function main() {
  await load(LANGS, ["kiosk"]);
  await loadEod(LANGS).catch(() => {});
  try { office = await (await fetch("/api/v1/office")).json(); } catch { /* names fall back to the ticket's */ }
  $("cancel").addEventListener("click", () => { $("confirm").hidden = false; render(); $("cancel-no").focus(); });
  $("cancel-no").addEventListener("click", () => { $("confirm").hidden = true; render(); });
  $("cancel-yes").addEventListener("click", cancel);
  await refresh();
  render();
  if (!$("missing").hidden) return; // no such ticket: nothing to follow
  new Live({
    watch: token,
    onStatus(up) { online = up; render(); },
    // The ticket comes with the hall's cutoff, for the end-of-day notice.
    onSide(m) {
      if (m.type !== KIND.TICKET) return;
      ticket = m.ticket;
      cutoff = m.cutoff;
      if (!lang) lang = LANGS.includes(ticket.lang) ? ticket.lang : "lt";
      render();
    },
    // The hall's call of this number is heard at once; the ticket's own
    // message with the same news follows within a moment.
    onEvent(ev) {
      const called = ev.type === EVENT.TICKET_CALLED || ev.type === EVENT.TICKET_RECALLED;
      if (called && ticket && ev.ticket?.number === ticket.number) { ticket = { ...ticket, status: "called", desk: ev.ticket.desk }; render(); }
    },
    onEnd() { refresh(); },
  }).start();
}

main().catch(() => unavailable("page"));

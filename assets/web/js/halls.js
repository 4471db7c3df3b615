// /halls on langelis central: every hall's current wait per service and
// whether it still serves today, so a resident can choose a hall, and
// "take a ticket there", which opens that hall's own /take page. Phone
// first; refreshed every 15 seconds.
import { load, t, apply, LANGS } from "./i18n.js";
import { languageButtons } from "./takeflow.js";
import { clock, named, startLang, el } from "./cityfmt.js";

const $ = (id) => document.getElementById(id);
let lang = new URLSearchParams(location.search).get("lang") || startLang(LANGS);
let halls = null;
let asOf = null;

function service(s, live) {
  const li = el("li", "svc");
  li.append(el("span", "letter", s.letter), el("span", "name", named(s.names, s.letter, lang)));
  const facts = el("span", "facts");
  const queue = s.waiting > 0 ? t(lang, "halls.queue", { clients: t(lang, "clients", { n: s.waiting }) }) : t(lang, "halls.queue.empty");
  let wait;
  if (s.estimated_wait_s < 0) wait = t(lang, "halls.wait.unknown");
  else if (s.estimated_wait_s < 60) wait = t(lang, "halls.wait.now");
  else wait = t(lang, "halls.wait", { n: Math.round(s.estimated_wait_s / 60) });
  if (!live) {
    // Old figures: how many waited then, nothing about now.
    facts.append(queue);
    li.append(facts);
    return li;
  }
  facts.append(`${queue} · ${wait} · `);
  facts.append(el("span", s.issuing ? "yes" : "no", t(lang, s.issuing ? "halls.issuing" : "halls.not_issuing")));
  li.append(facts);
  return li;
}

function hall(h) {
  const li = el("li", "hall");
  li.append(el("h2", "", named(h.names, h.name, lang)));
  const when = el("p", h.open ? "when" : "when closed");
  when.textContent = h.open ? t(lang, "halls.hours", { hours: h.hours }) : t(lang, "halls.closed");
  li.append(when);
  if (!h.live) li.append(el("p", "stale", t(lang, "halls.stale", { time: clock(lang, h.as_of) })));
  const ul = el("ul", "services");
  ul.append(...(h.services || []).map((s) => service(s, h.live)));
  li.append(ul);
  if (h.take_url && h.open) {
    const a = el("a", "take", t(lang, "halls.take"));
    a.href = `${h.take_url}?lang=${lang}`;
    li.append(a);
  }
  return li;
}

function render() {
  apply(document, lang);
  languageButtons($("langs"), LANGS, lang, (l) => { lang = l; localStorage.setItem("langelis.lang", l); render(); });
  if (!halls) return;
  $("none").hidden = halls.length > 0;
  $("halls").replaceChildren(...halls.map(hall));
  $("updated").textContent = asOf ? t(lang, "halls.updated", { time: clock(lang, asOf) }) : "";
}

async function refresh() {
  try {
    const r = await fetch("/api/v1/halls", { cache: "no-store" });
    if (!r.ok) throw new Error(r.status);
    halls = (await r.json()).halls || [];
    asOf = new Date().toISOString();
    $("error").hidden = true;
  } catch {
    $("error").textContent = t(lang, "offline");
    $("error").hidden = false;
  }
  render();
}

await load(LANGS, ["city", "kiosk"]);
render();
await refresh();
setInterval(refresh, 15000);

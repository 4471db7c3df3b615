// /city on langelis central, for the city's staff: every hall's waiting
// per service, longest wait, open desks, cutoff, link state and backlog,
// and today's and this month's figures. Refreshed every 5 seconds.
import { load, t, apply, LANGS } from "./i18n.js";
import { languageButtons } from "./takeflow.js";
import { duration, ago, clock, named, startLang, el } from "./cityfmt.js";

const $ = (id) => document.getElementById(id);
let lang = new URLSearchParams(location.search).get("lang") || startLang(LANGS);
let data = null;
let signedIn = true;

function linkState(h) {
  const s = el("span", `state ${h.link}`);
  if (h.link === "up") s.textContent = t(lang, "city.link.up");
  else if (h.link === "down") s.textContent = t(lang, "city.link.down", { time: clock(lang, h.last_heard) });
  else s.textContent = t(lang, "city.link.never");
  return s;
}

function events(n) { return t(lang, "city.events", { n }); }

function services(h) {
  const table = el("table");
  const head = el("tr");
  for (const [k, cls] of [["city.col.service", ""], ["city.col.waiting", "n"], ["city.col.longest", "n"], ["city.col.estimate", "n"], ["city.col.issuing", ""]]) {
    head.append(el("th", cls, t(lang, k)));
  }
  table.append(head);
  for (const s of h.services || []) {
    const tr = el("tr");
    tr.append(el("td", "", `${s.letter} ${named(s.names, s.letter, lang)}`), el("td", "n", String(s.waiting)),
      el("td", "n", s.waiting ? duration(lang, s.longest_wait_s) : "–"),
      el("td", "n", s.estimated_wait_s < 0 ? "–" : duration(lang, s.estimated_wait_s)),
      el("td", s.issuing ? "" : "no", t(lang, s.issuing ? "city.yes" : "city.no")));
    table.append(tr);
  }
  return table;
}

function figures(h) {
  const box = el("div", "figs");
  box.append(el("span", "h", ""), el("span", "h", t(lang, "city.today")), el("span", "h", t(lang, "city.month")));
  const mins = (v) => t(lang, "minutes", { n: Math.round(v) });
  for (const [k, f] of [["city.fig.issued", (x) => x.issued], ["city.fig.served", (x) => x.served],
    ["city.fig.no_show", (x) => x.no_show], ["city.fig.cancelled", (x) => x.cancelled], ["city.fig.closed", (x) => x.closed],
    ["city.fig.wait_median", (x) => mins(x.wait_median_min)], ["city.fig.wait_p90", (x) => mins(x.wait_p90_min)]]) {
    box.append(el("span", "", t(lang, k)), el("span", "", String(f(h.today))), el("span", "", String(f(h.month))));
  }
  return box;
}

function card(h) {
  const c = el("section", "card");
  const h2 = el("h2", "", named(h.names, h.name, lang));
  h2.append(linkState(h));
  c.append(h2);
  const link = h.backlog > 0
    ? t(lang, "city.backlog", { events: events(h.backlog), ago: ago(lang, h.backlog_age_s) })
    : t(lang, "city.backlog.none");
  const extra = h.behind > 0 ? ` · ${t(lang, "city.behind", { events: events(h.behind) })}` : "";
  c.append(el("p", "muted", link + extra));
  if (h.missed > 0) c.append(el("p", "no", t(lang, "city.missed", { events: events(h.missed) })));
  const open = `${t(lang, h.open ? "city.open" : "city.closed")}${h.hours ? ` ${h.hours}` : ""} · ${t(lang, "city.desks", { open: h.desks_open, total: h.desks })}`;
  c.append(el("p", "", open));
  if (h.cutoff && h.cutoff.count > 0) {
    c.append(el("p", "", t(lang, "city.cutoff", { closing: clock(lang, h.cutoff.closing), clients: t(lang, "clients", { n: h.cutoff.count }), last: h.cutoff.last })));
  } else if (h.cutoff) {
    c.append(el("p", "", t(lang, "city.cutoff.none")));
  }
  c.append(services(h), figures(h));
  return c;
}

function render() {
  apply(document, lang);
  languageButtons($("langs"), LANGS, lang, (l) => { lang = l; localStorage.setItem("langelis.lang", l); render(); });
  $("signin").hidden = signedIn;
  $("signout").hidden = !signedIn;
  if (!signedIn || !data) {
    $("halls").replaceChildren();
    return;
  }
  $("none").hidden = data.halls.length > 0;
  $("halls").replaceChildren(...data.halls.map(card));
  const f = data.feed;
  $("feed").textContent = t(lang, "city.feed", { state: t(lang, f.connected ? "city.nats.up" : "city.nats.down"), n: f.messages, dups: f.duplicates });
}

async function refresh() {
  try {
    const r = await fetch("/api/v1/city", { cache: "no-store" });
    const body = await r.json().catch(() => ({}));
    if (body.error?.code === "unauthorized") {
      signedIn = false;
      data = null;
    } else if (!r.ok) {
      throw new Error(r.status);
    } else {
      signedIn = true;
      data = body;
      data.halls = data.halls || [];
    }
    $("error").hidden = true;
  } catch {
    $("error").textContent = t(lang, "offline");
    $("error").hidden = false;
  }
  render();
}

$("signin").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const r = await fetch("/api/v1/session", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: $("username").value, password: $("password").value }) });
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    $("signin-error").textContent = body.error?.message || String(r.status);
    $("signin-error").hidden = false;
    return;
  }
  $("signin-error").hidden = true;
  $("password").value = "";
  await refresh();
});

$("signout").addEventListener("click", async () => {
  await fetch("/api/v1/session", { method: "DELETE" });
  await refresh();
});

await load(LANGS, ["city", "kiosk"]);
render();
await refresh();
setInterval(refresh, 5000);

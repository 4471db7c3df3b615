// /admin/reports: the manager's reports. Reads GET /api/v1/reports (the
// stored daily figures, and today's on demand) for a period and a
// grouping; shows its tables, three plain SVG charts, and links to the
// same tables as CSV and XLSX and to the monthly PDF.
import { adminNav, api as adminAPI } from "./adminnav.js";
import { load, t, apply } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const SVGNS = "http://www.w3.org/2000/svg";
const state = { lang: "lt", report: null };

function svgEl(tag, attrs = {}, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function fmt(v) {
  return v == null ? "–" : new Intl.NumberFormat(state.lang, { maximumFractionDigits: 1 }).format(v);
}

function query() {
  const p = new URLSearchParams();
  const period = document.querySelector("input[name=period]:checked").value;
  p.set("period", period);
  if (period === "custom") {
    p.set("from", $("from").value);
    p.set("to", $("to").value);
  } else if ($("date").value) {
    p.set("date", $("date").value);
  }
  p.set("by", $("by").value);
  p.set("lang", state.lang);
  return p;
}

function api(method, url, body) {
  return adminAPI(method, url, body, state.lang);
}

function groupName(key) {
  const r = state.report;
  if (key === "all") return t(state.lang, "rep.total");
  if (r.by === "service") return r.labels[key] || key;
  if (r.by === "weekday") return t(state.lang, `rep.weekday.${key}`);
  if (r.by === "hour") return t(state.lang, "rep.hour", { h: key });
  return key;
}

function table(tb) {
  const wrap = document.createElement("section");
  const h = document.createElement("h2");
  h.textContent = t(state.lang, `rep.table.${tb.name}`);
  const scroll = document.createElement("div");
  scroll.className = "scroll";
  // A wide table scrolls sideways: keyboard users reach it too.
  scroll.tabIndex = 0;
  scroll.setAttribute("role", "region");
  scroll.setAttribute("aria-label", h.textContent);
  const el = document.createElement("table");
  el.id = `table-${tb.name}`;
  const head = el.createTHead().insertRow();
  const th0 = document.createElement("th");
  // The complaints are by kind whatever the grouping (they are not tied
  // to a service, desk or hour).
  const byKind = tb.name === "complaints";
  th0.textContent = t(state.lang, byKind ? "rep.by.kind" : `rep.by.${state.report.by}`);
  th0.scope = "col";
  head.append(th0);
  for (const c of tb.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = t(state.lang, c);
    head.append(th);
  }
  const line = (sect, r) => {
    const tr = sect.insertRow();
    tr.dataset.key = r.key;
    const th = document.createElement(sect.tagName === "TFOOT" ? "td" : "th");
    if (th.tagName === "TH") th.scope = "row";
    th.textContent = byKind && r.key !== "all" ? t(state.lang, `rep.kind.${r.key}`) : groupName(r.key);
    tr.append(th);
    for (const v of r.values) tr.insertCell().textContent = fmt(v);
  };
  const body = el.createTBody();
  for (const r of tb.rows || []) line(body, r);
  if (tb.total) line(el.createTFoot(), tb.total);
  scroll.append(el);
  // Said in words too: an overlay scrollbar shows only while scrolling, and
  // a table cut at the screen's edge looks whole (markWide shows it).
  const hint = document.createElement("p");
  hint.className = "scroll-hint";
  hint.textContent = t(state.lang, "rep.scroll_hint");
  hint.hidden = true;
  wrap.append(h, hint, scroll);
  return wrap;
}

/** Marks each table wider than its frame: its hint shows, and a shadow
 * on the side where more columns are. */
function markWide() {
  for (const scroll of document.querySelectorAll("#tables .scroll")) {
    const wide = scroll.scrollWidth > scroll.clientWidth + 1;
    scroll.previousElementSibling.hidden = !wide;
    scroll.classList.toggle("more-left", wide && scroll.scrollLeft > 0);
    scroll.classList.toggle("more-right", wide && scroll.scrollLeft + scroll.clientWidth < scroll.scrollWidth - 1);
    scroll.onscroll = markWide;
  }
}
addEventListener("resize", markWide);

// A chart frame: width, height and the plot area's margins.
const W = 560, H = 240, M = { l: 40, r: 10, t: 10, b: 28 };

function frame(label, ymax, yticks, xs, xlabel) {
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
  const pw = W - M.l - M.r, ph = H - M.t - M.b;
  const y = (v) => M.t + ph - (v / ymax) * ph;
  for (const v of yticks) {
    svg.append(svgEl("line", { class: "grid", x1: M.l, x2: W - M.r, y1: y(v), y2: y(v) }));
    svg.append(svgEl("text", { x: M.l - 4, y: y(v) + 4, "text-anchor": "end" }, fmt(v)));
  }
  svg.append(svgEl("line", { class: "axis", x1: M.l, x2: W - M.r, y1: y(0), y2: y(0) }));
  const step = pw / Math.max(1, xs.length);
  const x = (i) => M.l + step * (i + 0.5);
  const every = Math.ceil(xs.length / 14);
  xs.forEach((v, i) => {
    if (i % every === 0) svg.append(svgEl("text", { x: x(i), y: H - 10, "text-anchor": "middle" }, xlabel(v)));
  });
  return { svg, x, y, step };
}

function ticks(max) {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) || mag;
  const out = [];
  // Up to the first tick at or above max, so nothing is drawn off the chart.
  for (let v = 0; out.length === 0 || out[out.length - 1] < max - 1e-9; v += step) out.push(Math.round(v * 10) / 10);
  return { ticks: out, max: out[out.length - 1] || 1 };
}

function boxChart(data) {
  const { ticks: yt, max } = ticks(Math.max(1, ...data.map((b) => b.q[4])));
  const f = frame(t(state.lang, "rep.chart.box"), max, yt, data.map((b) => b.hour), (h) => String(h));
  data.forEach((b, i) => {
    const cx = f.x(i), w = Math.min(26, f.step * 0.6);
    const g = svgEl("g", { class: "hourbox", "data-hour": b.hour });
    g.append(svgEl("title", {}, `${b.hour}:00 · n=${b.n} · ${b.q.map(fmt).join(" / ")}`));
    g.append(svgEl("line", { class: "whisker", x1: cx, x2: cx, y1: f.y(b.q[0]), y2: f.y(b.q[4]) }));
    g.append(svgEl("rect", { class: "box", x: cx - w / 2, width: w, y: f.y(b.q[3]), height: Math.max(1, f.y(b.q[1]) - f.y(b.q[3])) }));
    g.append(svgEl("line", { class: "median", x1: cx - w / 2, x2: cx + w / 2, y1: f.y(b.q[2]), y2: f.y(b.q[2]) }));
    f.svg.append(g);
  });
  return f.svg;
}

function loadChart(data) {
  const { ticks: yt, max } = ticks(Math.max(1, ...data.map((l) => Math.max(l.arrivals, l.capacity))));
  const f = frame(t(state.lang, "rep.chart.load"), max, yt, data.map((l) => l.hour), (h) => String(h));
  const pts = [];
  data.forEach((l, i) => {
    const w = f.step * 0.55;
    f.svg.append(svgEl("rect", { class: "arrivals", x: f.x(i) - w / 2, width: w, y: f.y(l.arrivals), height: f.y(0) - f.y(l.arrivals) }));
    pts.push(`${f.x(i)},${f.y(l.capacity)}`);
  });
  f.svg.append(svgEl("polyline", { class: "capacity", points: pts.join(" ") }));
  const box = document.createElement("div");
  const legend = document.createElement("div");
  legend.className = "legend";
  for (const [cls, key, color] of [["arrivals", "rep.legend.arrivals", "var(--a)"], ["capacity", "rep.legend.capacity", "var(--b)"]]) {
    const s = document.createElement("span");
    const k = document.createElement("span");
    k.className = "key";
    k.style.background = color;
    s.append(k, t(state.lang, key));
    s.dataset.series = cls;
    legend.append(s);
  }
  box.append(f.svg, legend);
  return box;
}

function trendChart(data) {
  const f = frame(t(state.lang, "rep.chart.trend"), 100, [0, 25, 50, 75, 100], data.map((d) => d.day), (d) => d.slice(5));
  const pts = [];
  data.forEach((d, i) => {
    if (d.sl == null) return;
    pts.push(`${f.x(i)},${f.y(d.sl)}`);
    const c = svgEl("circle", { class: "dot", cx: f.x(i), cy: f.y(d.sl), r: 3.5 });
    c.append(svgEl("title", {}, `${d.day}: ${fmt(d.sl)} %`));
    f.svg.append(c);
  });
  f.svg.append(svgEl("polyline", { class: "sl", points: pts.join(" ") }));
  return f.svg;
}

function render() {
  const lang = state.lang;
  apply(document, lang);
  document.title = t(lang, "rep.title");
  const r = state.report;
  if (!r) return;
  $("range").textContent = t(lang, "rep.range", { from: r.from, to: r.to });
  $("days").textContent = t(lang, "rep.days", { n: r.days });
  $("cutoff").textContent = r.cutoff ? t(lang, "rep.cutoff", { mae: fmt(r.cutoff.mae), n: r.cutoff.days }) : "";
  $("empty").hidden = r.days > 0;
  const q = query();
  const links = [];
  // A table with nothing measured (no refusal, no answer after service, no
  // complaint) is neither shown nor downloadable, nor a sheet of the XLSX.
  const shown = r.tables.filter((tb) => tb.columns?.length > 0);
  for (const tb of shown) {
    const p = new URLSearchParams(q);
    p.set("table", tb.name);
    links.push([`/api/v1/reports.csv?${p}`, `CSV: ${t(lang, `rep.table.${tb.name}`)}`, `csv-${tb.name}`]);
  }
  links.push([`/api/v1/reports.xlsx?${q}`, `XLSX: ${shown.map((tb) => t(lang, `rep.table.${tb.name}`)).join(", ")}`, "xlsx"]);
  links.push([`/api/v1/reports/monthly.pdf?month=${r.to.slice(0, 7)}&lang=${lang}`, t(lang, "rep.pdf"), "pdf"]);
  $("downloads").replaceChildren(...links.map(([href, text, id]) => {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    a.id = `dl-${id}`;
    if (id !== "pdf") a.download = "";
    return a;
  }));
  // A period without figures has tables without columns and no charts.
  $("tables").replaceChildren(...r.tables.filter((tb) => tb.columns?.length > 0).map(table));
  markWide();
  $("charts").hidden = r.days === 0;
  $("chart-box").replaceChildren(boxChart(r.charts.wait_by_hour || []));
  $("chart-load").replaceChildren(loadChart(r.charts.load_by_hour || []));
  $("chart-trend").replaceChildren(trendChart(r.charts.service_level_by_day || []));
  document.body.dataset.shown = `${r.period}:${r.by}:${r.from}`;
}

async function show() {
  $("msg").textContent = "";
  try {
    state.report = await api("GET", `/api/v1/reports?${query()}`);
    $("report").hidden = false;
    history.replaceState(null, "", `?${query()}`);
    render();
  } catch (e) {
    $("msg").textContent = e.message;
  }
}

function periodChanged() {
  const custom = document.querySelector("input[name=period]:checked").value === "custom";
  $("ask").classList.toggle("nocustom", !custom);
  $("ask").classList.toggle("custom-on", custom);
}

async function main() {
  // The admin frame: nav, language, sign-in; resolves once an admin is in.
  const { lang } = await adminNav(document.querySelector("nav"), "reports");
  state.lang = lang;
  await load([lang], ["reports"]);
  const p = new URLSearchParams(location.search);
  for (const k of ["date", "from", "to"]) if (p.get(k)) $(k).value = p.get(k);
  if (p.get("by")) $("by").value = p.get("by");
  if (p.get("period")) document.querySelector(`input[name=period][value=${CSS.escape(p.get("period"))}]`)?.click();
  document.querySelectorAll("input[name=period]").forEach((r) => r.addEventListener("change", periodChanged));
  periodChanged();
  $("ask").addEventListener("submit", (e) => { e.preventDefault(); show(); });
  apply(document, state.lang);
  await show();
  document.body.dataset.ready = "1";
}

main();

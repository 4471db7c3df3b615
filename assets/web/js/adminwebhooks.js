// /admin/webhooks: the URLs that receive the hall's events, signed, for a
// case system to follow (package webhook). An admin adds one (its secret is
// shown here once), sends it a test delivery, removes it, and sees how
// each is doing: delivered, waiting, the last success and the last error
// with how many times the waiting event was tried. The list refreshes
// every few seconds.
import { adminNav, api } from "./adminnav.js";
import { t, apply } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const KINDS = ["issued", "called", "finished", "feedback"];
const state = { lang: "lt", hooks: [] };

function say(text, ok = false) {
  $("msg").textContent = text || "";
  $("msg").className = ok ? "ok" : "error";
}

function when(iso) {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(state.lang, { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

async function refresh() {
  try {
    state.hooks = await api("GET", "/api/v1/admin/webhooks", undefined, state.lang);
    render();
  } catch (e) {
    say(e.message);
  }
}

function button(text, cls, onclick, label, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.dataset.action = action;
  b.textContent = text;
  if (cls) b.className = cls;
  b.setAttribute("aria-label", `${text} – ${label}`);
  b.addEventListener("click", onclick);
  return b;
}

function badge(h) {
  const L = state.lang;
  const s = document.createElement("span");
  const [cls, key] = h.attempts > 0 ? ["failing", "admin.webhooks.state.failing"]
    : h.backlog > 0 ? ["waiting", "admin.webhooks.state.sending"] : ["ok", "admin.webhooks.state.ok"];
  s.className = `badge ${cls}`;
  s.textContent = t(L, key);
  return s;
}

function render() {
  const L = state.lang;
  const body = $("hooks").tBodies[0];
  body.replaceChildren();
  $("none").hidden = state.hooks.length > 0;
  $("hooks").hidden = state.hooks.length === 0;
  for (const h of state.hooks) {
    const tr = document.createElement("tr");
    tr.dataset.hook = h.id;
    const cell = (text, cls) => {
      const td = document.createElement("td");
      if (cls) td.className = cls;
      if (text instanceof Node) td.append(text); else td.textContent = text;
      tr.append(td);
      return td;
    };
    cell(h.url, "url");
    cell(h.kinds.map((k) => t(L, `admin.webhooks.kind.${k}`)).join(", "));
    cell(badge(h));
    cell(t(L, "admin.webhooks.backlog.n", { n: h.backlog, sent: h.sent }));
    cell(when(h.last_success));
    // The count of tries is of the event still waiting; an error already
    // overcome shows without it.
    const err = !h.last_error ? "–"
      : t(L, h.attempts > 0 ? "admin.webhooks.error" : "admin.webhooks.error.past",
        { time: when(h.last_error_at), error: h.last_error, n: h.attempts });
    cell(err, h.last_error ? "err" : "");
    const acts = document.createElement("div");
    acts.append(button(t(L, "admin.webhooks.test"), "", () => test(h), h.url, "test"),
      button(t(L, "admin.webhooks.remove"), "danger", () => remove(h), h.url, "remove"));
    cell(acts, "actions");
    body.append(tr);
  }
}

async function add(ev) {
  ev.preventDefault();
  say("");
  const kinds = KINDS.filter((k) => $(`kind-${k}`).checked);
  try {
    const r = await api("POST", "/api/v1/admin/webhooks",
      { url: $("add-url").value, kinds, secret: $("add-secret").value }, state.lang);
    $("add").reset();
    $("secret-title").textContent = t(state.lang, "admin.webhooks.secret.title", { url: r.webhook.url });
    $("secret-value").textContent = r.secret;
    $("secret").hidden = false;
    $("secret-hide").focus();
    say(t(state.lang, "admin.webhooks.added"), true);
    await refresh();
  } catch (e) {
    say(e.message);
    $("add-url").focus();
  }
}

async function test(h) {
  say("");
  try {
    const r = await api("POST", `/api/v1/admin/webhooks/${encodeURIComponent(h.id)}/test`, {}, state.lang);
    if (r.ok) say(t(state.lang, "admin.webhooks.test.ok", { status: r.status, ms: r.millis }), true);
    else {
      // A short reason in the admin's language; Go's own words (the dial
      // error, the address) only as the detail after it.
      const why = r.status ? t(state.lang, "admin.webhooks.test.answered", { status: r.status })
        : t(state.lang, "admin.webhooks.test.unreachable");
      say(t(state.lang, "admin.webhooks.test.failed", { error: why }));
      if (r.error) {
        const d = document.createElement("small");
        d.className = "detail";
        d.textContent = r.error;
        $("msg").append(" ", d);
      }
    }
  } catch (e) {
    say(e.message);
  }
}

async function remove(h) {
  if (!confirm(t(state.lang, "admin.webhooks.remove.ask", { url: h.url }))) return;
  say("");
  try {
    await api("DELETE", `/api/v1/admin/webhooks/${encodeURIComponent(h.id)}`, undefined, state.lang);
    say(t(state.lang, "admin.webhooks.removed"), true);
    await refresh();
  } catch (e) {
    say(e.message);
  }
}

const { lang } = await adminNav(document.querySelector("nav"), "webhooks");
state.lang = lang;
for (const k of KINDS) {
  const l = document.createElement("label");
  const c = document.createElement("input");
  c.type = "checkbox";
  c.id = `kind-${k}`;
  // defaultChecked too: the form's reset after an add ticks them all again.
  c.checked = c.defaultChecked = true;
  l.append(c, " ", t(lang, `admin.webhooks.kind.${k}`));
  $("add-kinds").append(l);
}
apply(document, lang);
$("add").addEventListener("submit", add);
$("secret-hide").addEventListener("click", () => { $("secret").hidden = true; });
await refresh();
setInterval(refresh, 5000);

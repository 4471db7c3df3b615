// The shell every admin page shares (/admin, /admin/people, /admin/live,
// /admin/audit, /admin/reports, /admin/bookings; their HTML frame is
// admin-frame.html): the
// nav between them, the language, who is signed in, and
// the sign-in form while nobody (or no admin) is. A page calls
//
//   const { lang, user, office } = await adminNav(document.querySelector("nav"), "people");
//
// and builds itself once the promise resolves: it resolves only when an
// admin is signed in. Texts are in /static/i18n/admin/LANG.json (keys
// "admin.…"); a page loads its own area too with load(LANGS, ["admin", …]).
import { LANGS, load, t, apply, useOffice } from "./i18n.js";

/** The admin pages, in the nav's order: [id, path, text key]. */
export const ADMIN_PAGES = [
  ["config", "/admin", "admin.nav.config"],
  ["people", "/admin/people", "admin.nav.people"],
  ["live", "/admin/live", "admin.nav.live"],
  ["audit", "/admin/audit", "admin.nav.audit"],
  ["reports", "/admin/reports", "admin.nav.reports"],
  ["bookings", "/admin/bookings", "admin.nav.bookings"],
  ["feedback", "/admin/feedback", "admin.nav.feedback"],
  ["webhooks", "/admin/webhooks", "admin.nav.webhooks"],
];

const LANG_KEY = "langelis.admin.lang";

/** Sends a JSON request in the admin's language and returns the decoded
 * answer; a refusal throws an Error whose message is the server's text
 * (already in that language) and whose code is the server's code. */
export async function api(method, path, body, lang) {
  const opt = { method, headers: { "Accept-Language": lang || "" }, credentials: "same-origin" };
  if (body !== undefined) {
    opt.headers["Content-Type"] = "application/json";
    opt.body = JSON.stringify(body);
  }
  const r = await fetch(path, opt);
  if (r.status === 204) return null;
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    const e = new Error(data?.error?.message || `${r.status}`);
    e.code = data?.error?.code || "";
    e.status = r.status;
    throw e;
  }
  return data;
}

/** Fills nav with the links of the admin pages (current marked), the
 * language choice and the signed-in admin with a sign-out button; shows
 * the sign-in form until an admin is signed in. Resolves to
 * { lang, user, office, langs }. */
export async function adminNav(nav, current) {
  const office = await (await fetch("/api/v1/office", { cache: "no-cache" })).json();
  const { langs } = useOffice(office);
  // A link may name the language (?lang=en); otherwise the admin's last choice.
  const asked = new URLSearchParams(location.search).get("lang");
  if (LANGS.includes(asked)) localStorage.setItem(LANG_KEY, asked);
  let lang = localStorage.getItem(LANG_KEY);
  if (!LANGS.includes(lang)) lang = langs[0];
  await load([lang], ["admin"]);
  render(nav, current, lang);
  apply(document, lang);
  let user = await whoAmI(lang);
  if (!user || user.role !== "admin") user = await signIn(nav, lang, user);
  nav.querySelector(".admin-who").textContent = t(lang, "admin.signed_in", { name: user.name || user.username });
  nav.querySelector(".admin-signout").hidden = false;
  // A page's main is hidden in its HTML until an admin is known.
  document.querySelector("main").hidden = false;
  return { lang, user, office, langs };
}

function render(nav, current, lang) {
  nav.classList.add("admin-nav");
  nav.setAttribute("aria-label", t(lang, "admin.nav.label"));
  nav.replaceChildren();
  const brand = document.createElement("strong");
  brand.className = "admin-brand";
  brand.textContent = t(lang, "admin.title");
  const ul = document.createElement("ul");
  for (const [id, path, key] of ADMIN_PAGES) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = path;
    a.textContent = t(lang, key);
    if (id === current) a.setAttribute("aria-current", "page");
    li.append(a);
    ul.append(li);
  }
  const sel = document.createElement("select");
  sel.className = "admin-lang";
  sel.setAttribute("aria-label", t(lang, "admin.language"));
  for (const l of LANGS) {
    const o = document.createElement("option");
    o.value = l;
    o.textContent = l.toUpperCase();
    o.selected = l === lang;
    sel.append(o);
  }
  sel.addEventListener("change", () => {
    localStorage.setItem(LANG_KEY, sel.value);
    // The page's address keeps what it shows; a language in it follows the choice.
    const u = new URL(location.href);
    if (!u.searchParams.has("lang")) return location.reload();
    u.searchParams.set("lang", sel.value);
    location.replace(u);
  });
  const who = document.createElement("span");
  who.className = "admin-who";
  const out = document.createElement("button");
  out.type = "button";
  out.className = "admin-signout";
  out.hidden = true;
  out.textContent = t(lang, "admin.signout");
  out.addEventListener("click", async () => {
    await fetch("/api/v1/session", { method: "DELETE", credentials: "same-origin" });
    location.reload();
  });
  nav.append(brand, ul, sel, who, out);
}

async function whoAmI(lang) {
  try {
    return (await api("GET", "/api/v1/session", undefined, lang)).user;
  } catch {
    return null;
  }
}

// signIn shows the sign-in form in place of the page's main until an
// admin signs in; a clerk's sign-in is refused in words.
function signIn(nav, lang, someone) {
  const main = document.querySelector("main");
  main.hidden = true;
  const box = document.createElement("section");
  box.className = "admin-signin";
  box.innerHTML = `<h1></h1><p class="admin-error" role="alert"></p>
<form><label><span></span> <input name="username" autocomplete="username" required></label>
<label><span></span> <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit"></button></form>`;
  box.querySelector("h1").textContent = t(lang, "admin.signin");
  const [lu, lp] = box.querySelectorAll("label span");
  lu.textContent = t(lang, "admin.username");
  lp.textContent = t(lang, "admin.password");
  box.querySelector("button").textContent = t(lang, "admin.signin.button");
  const errp = box.querySelector(".admin-error");
  if (someone) errp.textContent = t(lang, "admin.not_admin");
  main.before(box);
  const form = box.querySelector("form");
  return new Promise((resolve) => {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      errp.textContent = "";
      try {
        const s = await api("POST", "/api/v1/session", { username: form.username.value, password: form.password.value }, lang);
        if (s.user.role !== "admin") {
          await fetch("/api/v1/session", { method: "DELETE", credentials: "same-origin" });
          errp.textContent = t(lang, "admin.not_admin");
          return;
        }
        box.remove();
        main.hidden = false;
        resolve(s.user);
      } catch (e) {
        errp.textContent = e.message;
      }
    });
  });
}

// The public form (/feedback): a complaint, a suggestion or thanks, phone
// first, in the visitor's language. Optionally tied to a ticket of today
// (the status page's link fills its number) and with a contact the visitor
// chooses to give; nothing else about them is asked. The server answers a
// registration number to keep, or says in the visitor's language what to
// mend (an empty text, one too long, a ticket it does not know, too many
// messages), and then nothing is stored.
import { load, t, apply, LANGS, useOffice } from "./i18n.js";
import { languageButtons, officeLangs, startLang, unavailable } from "./takeflow.js";
import { postJSON } from "./feedbackask.js";

const $ = (id) => document.getElementById(id);
const MAX_TEXT = 2000; // feedback.MaxText
let office = null;
let langs = LANGS;
let lang = document.documentElement.lang; // the office's first language, which the server wrote into the page

function setLang(l) {
  lang = l;
  const u = new URL(location.href);
  u.searchParams.set("lang", l);
  history.replaceState(null, "", u);
  render();
}

function render() {
  apply(document, lang);
  document.title = `${t(lang, "fb.form.title")} · Langelis`;
  languageButtons($("langs"), langs, lang, setLang);
  $("intro").textContent = t(lang, "fb.form.intro", { days: 5 });
  $("text-hint").textContent = t(lang, "fb.form.text_hint", { max: MAX_TEXT });
  const keep = office?.feedback_retention_days || 90;
  $("contact-hint").textContent = t(lang, "fb.form.contact_hint", { n: keep });
  $("results-link").href = `/results?lang=${lang}`;
}

function error(text) {
  $("error").hidden = !text;
  $("error").textContent = text || "";
}

async function send(e) {
  e.preventDefault();
  const kind = document.querySelector("input[name=kind]:checked")?.value || "";
  $("send").disabled = true;
  try {
    const r = await postJSON("/api/v1/feedback", { kind, text: $("text").value, ticket: $("ticket").value,
      contact: $("contact").value }, lang);
    error("");
    $("receipt-id").textContent = r.id;
    $("form").hidden = true;
    $("receipt").hidden = false;
    $("another").focus();
  } catch (x) {
    error(x.message);
    $("error").focus?.();
  } finally {
    $("send").disabled = false;
  }
}

function another() {
  $("form").reset();
  $("ticket").value = "";
  $("receipt").hidden = true;
  $("form").hidden = false;
  error("");
  document.querySelector("input[name=kind]").focus();
}

async function main() {
  try {
    office = await (await fetch("/api/v1/office", { cache: "no-cache" })).json();
  } catch { /* all languages, the default retention */ }
  useOffice(office);
  langs = officeLangs(office, LANGS);
  const q = new URLSearchParams(location.search);
  // As /take and /book: a link's ?lang=, else the one chosen before, else
  // the browser's (a Polish phone opens in Polish), else the office's first.
  lang = LANGS.includes(q.get("lang")) ? q.get("lang") : startLang(langs);
  await load(LANGS, ["kiosk", "feedback", "visitor"]);
  if (q.get("ticket")) $("ticket").value = q.get("ticket");
  $("form").addEventListener("submit", send);
  $("another").addEventListener("click", another);
  render();
  document.body.dataset.ready = "1";
}

main().catch(() => unavailable("page"));

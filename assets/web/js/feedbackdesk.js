// The tablet beside a desk (/feedback/desk/N): for visitors without a
// phone, it asks the one question after service of the visitor that desk
// has just finished. It runs signed in with a kiosk account (the server
// takes answers for a desk only from one), hears the hall's public stream,
// and when the desk finishes a ticket (ticket.finished with that desk)
// shows the question with the ticket's number. An answer, or nobody
// answering for a while, brings back a neutral thank-you. Nothing on it
// names anyone: the ticket's number and the desk only.
import { load, t, apply, LANGS, useOffice } from "./i18n.js";
import { Live } from "./live.js";
import { EVENT } from "./wire.js";
import { languageButtons, officeLangs, unavailable } from "./takeflow.js";
import { ratingForm, postJSON } from "./feedbackask.js";

const $ = (id) => document.getElementById(id);
const desk = Number(location.pathname.split("/").pop());
const params = new URLSearchParams(location.search);
// How long the question waits for an answer, and the thanks stays, in
// real time; ?ask=SECONDS shortens the wait (a test, a busy desk).
const ASK_MS = Math.min(600, Math.max(1, Number(params.get("ask")) || 90)) * 1000;
const THANKS_MS = 6000;

let office = null;
let langs = LANGS;
let lang = "lt";
let number = null;   // the ticket being asked about
let thanks = false;
let online = true;
let timer = null;
let form = null;

function setLang(l) { lang = l; render(); }

function render() {
  apply(document, lang);
  languageButtons($("langs"), langs, lang, setLang);
  $("title").textContent = t(lang, "fb.desk.title", { desk });
  document.title = `${t(lang, "fb.desk.title", { desk })} · Langelis`;
  $("offline").hidden = online;
  $("offline").textContent = t(lang, "fb.offline");
  const signin = !$("signin").hidden;
  $("idle").hidden = signin || !!number || thanks;
  $("idle-text").textContent = t(lang, "fb.desk.idle");
  $("idle-sub").textContent = t(lang, "fb.desk.idle_sub");
  $("ask").hidden = signin || !number;
  form?.render(lang, number ? t(lang, "fb.rate.question_desk", { number, desk }) : "");
  $("thanks").hidden = !thanks;
  $("thanks").textContent = t(lang, "fb.rate.thanks");
  $("signin-text").textContent = t(lang, "fb.desk.signin", { desk });
  $("username-label").textContent = t(lang, "fb.desk.username");
  $("password-label").textContent = t(lang, "fb.desk.password");
  $("signin-button").textContent = t(lang, "fb.desk.signin_button");
}

/** Back to the neutral screen after ms, unless something else happens. */
function later(ms) {
  clearTimeout(timer);
  timer = setTimeout(() => { number = null; thanks = false; lang = langs[0]; form.reset(); render(); }, ms);
}

/** The desk finished a ticket: ask its visitor. */
function ask(n) {
  number = n;
  thanks = false;
  lang = langs[0];
  form.reset();
  render();
  later(ASK_MS);
}

async function signedIn() {
  const r = await fetch("/api/v1/session", { credentials: "same-origin", cache: "no-store" });
  if (!r.ok) return false;
  const s = await r.json().catch(() => null);
  return s?.user?.role === "kiosk" || s?.user?.role === "admin";
}

/** Shows the sign-in form until a kiosk account is signed in. */
function signIn() {
  $("signin").hidden = false;
  render();
  return new Promise((resolve) => {
    $("signin").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await postJSON("/api/v1/session", { username: $("username").value, password: $("password").value }, lang, false);
        if (!(await signedIn())) throw new Error(t(lang, "fb.desk.not_kiosk"));
        $("signin").hidden = true;
        $("password").value = "";
        render();
        resolve();
      } catch (x) {
        $("signin-error").hidden = false;
        $("signin-error").textContent = x.message;
      }
    });
  });
}

async function main() {
  try {
    office = await (await fetch("/api/v1/office", { cache: "no-cache" })).json();
  } catch { /* the office's languages fall back to all */ }
  useOffice(office);
  langs = officeLangs(office, LANGS);
  lang = langs[0];
  await load(langs, ["kiosk", "feedback"]);
  form = ratingForm($("ask"), {
    send: (face, comment) => postJSON(`/api/v1/feedback/desk/${desk}/rating`, { number, face, comment }, lang),
    done() { number = null; thanks = true; render(); later(THANKS_MS); },
  });
  render();
  if (!(await signedIn())) await signIn();
  new Live({
    onStatus(up) { online = up; render(); },
    onEvent(ev) {
      if (ev.type === EVENT.TICKET_FINISHED && ev.ticket?.desk === desk) ask(ev.ticket.number);
    },
  }).start();
}

main().catch(() => unavailable("page"));

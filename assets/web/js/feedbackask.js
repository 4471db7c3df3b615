// The one question after service, shared by the ticket's status page
// (status.js) and the desk-side tablet (feedbackdesk.js): five faces that
// are real buttons with their words beside them (aria-pressed says which
// is chosen), an optional comment, and a send button. The server's
// refusal (a second answer, a comment too long) is shown as it comes, in
// the visitor's language. Texts are in /static/i18n/feedback/LANG.json.
import { t } from "./i18n.js";

/** The comment's bound, as the server checks it (queue.MaxRatingComment). */
export const MAX_COMMENT = 500;

const MOUTHS = ["M30 72 Q50 54 70 72", "M32 70 Q50 62 68 70", "M32 66 L68 66", "M32 62 Q50 72 68 62", "M30 60 Q50 80 70 60"];
const COLOURS = ["#ff8a80", "#ffb870", "#ffe27a", "#b5e98a", "#7ee787"];

/** A face of the scale (1 very unhappy … 5 very happy) as an SVG, hidden
 * from screen readers: the button's words say it. */
export function faceSVG(n) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 100 100");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const el = (name, attrs) => {
    const e = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    svg.append(e);
  };
  el("circle", { cx: 50, cy: 50, r: 46, fill: COLOURS[n - 1], stroke: "#000", "stroke-width": 3 });
  el("circle", { cx: 36, cy: 40, r: 6, fill: "#000" });
  el("circle", { cx: 64, cy: 40, r: 6, fill: "#000" });
  el("path", { d: MOUTHS[n - 1], fill: "none", stroke: "#000", "stroke-width": 5, "stroke-linecap": "round" });
  return svg;
}

/** Builds the question into root (an element of the page) and returns
 * { render(lang, question), reset(), focus() }. send(face, comment) sends
 * the answer and throws an Error with the server's words when it is
 * refused; done() runs after it was recorded. */
export function ratingForm(root, { send, done }) {
  let face = 0;
  let lang = document.documentElement.lang; // the office's first language, which the server wrote into the page
  let busy = false;
  root.classList.add("rate");
  const h = document.createElement("h2");
  h.className = "rate-question";
  h.id = `${root.id}-q`;
  const faces = document.createElement("div");
  faces.className = "faces";
  faces.setAttribute("role", "group");
  faces.setAttribute("aria-labelledby", h.id);
  const buttons = [1, 2, 3, 4, 5].map((n) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "face";
    b.dataset.face = String(n);
    b.setAttribute("aria-pressed", "false");
    const words = document.createElement("span");
    b.append(faceSVG(n), words);
    b.addEventListener("click", () => { face = n; error(""); render(lang); });
    faces.append(b);
    return b;
  });
  const label = document.createElement("label");
  label.htmlFor = `${root.id}-comment`;
  const comment = document.createElement("textarea");
  comment.id = `${root.id}-comment`;
  comment.rows = 3;
  comment.maxLength = MAX_COMMENT * 2; // the server's check, not the browser's, says how long is too long
  const hint = document.createElement("p");
  hint.className = "rate-hint";
  hint.id = `${root.id}-hint`;
  comment.setAttribute("aria-describedby", hint.id);
  const err = document.createElement("p");
  err.className = "rate-error";
  err.setAttribute("role", "alert");
  const go = document.createElement("button");
  go.type = "submit";
  go.className = "secondary rate-send";
  const form = document.createElement("form");
  form.noValidate = true;
  form.append(h, faces, label, comment, hint, err, go);
  root.replaceChildren(form);

  function error(text) { err.textContent = text; err.hidden = !text; }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    if (!face) { error(t(lang, "fb.rate.choose")); buttons[0].focus(); return; }
    busy = true;
    go.disabled = true;
    try {
      await send(face, comment.value);
      error("");
      done?.(face);
    } catch (x) {
      error(x.message || t(lang, "fb.offline"));
    } finally {
      busy = false;
      go.disabled = false;
    }
  });

  function render(l, question) {
    lang = l;
    if (question !== undefined) h.textContent = question;
    buttons.forEach((b, i) => {
      b.lastChild.textContent = t(lang, `fb.face.${i + 1}`);
      b.setAttribute("aria-pressed", String(face === i + 1));
    });
    label.textContent = t(lang, "fb.rate.comment");
    hint.textContent = t(lang, "fb.rate.comment_hint", { max: MAX_COMMENT });
    go.textContent = t(lang, "fb.rate.send");
    if (!err.textContent) err.hidden = true;
  }

  return {
    render,
    reset() { face = 0; comment.value = ""; error(""); render(lang); },
    focus() { buttons[0].focus(); },
  };
}

/** Posts a JSON answer in lang and returns the body; a refusal throws the
 * server's words (already in lang). The body names lang too unless
 * bodyLang is false (a body whose fields are strict, like the sign-in's). */
export async function postJSON(path, body, lang, bodyLang = true) {
  let r;
  try {
    r = await fetch(path, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept-Language": lang }, body: JSON.stringify(bodyLang ? { ...body, lang } : body) });
  } catch {
    throw new Error(t(lang, "fb.offline"));
  }
  const data = await r.json().catch(() => null);
  if (!r.ok) {
    const e = new Error(data?.error?.message || t(lang, "fb.offline"));
    e.code = data?.error?.code || "";
    e.status = r.status;
    throw e;
  }
  return data;
}

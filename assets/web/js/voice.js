// The kiosk's voice mode (issue 18.7, docs/voice.md): for a visitor who
// cannot see the screen, the kiosk says what is on it. A sentence is asked
// for by what it is, { key, lang, vars } (a key of the kiosk's texts and
// its placeholders' values), never by its words: the server composes the
// words (GET /api/v1/voice) and speaks them with its espeak-ng
// (/api/v1/voice/speech.wav); without espeak-ng (503) the browser's own
// voice reads the same words. Each sentence, as it starts, is written into
// the page's log (role="log"), which a screen reader also reads and which
// shows a sighted companion what was said.
import { speakBrowser } from "./announcer.js";

const KEEP = 64; // sentences kept in the page: a visit's worth, the greeting included
const LOG_LINES = 40; // the visit so far; the screen shows the last two

/** voiceQuery is the query of a sentence: key, lang, then its values; a
 * value that is itself words (when the office opens: takeflow.js
 * openingWords) goes as its key and its own values. */
export function voiceQuery(item) {
  const q = new URLSearchParams({ key: item.key, lang: item.lang });
  const put = (vars) => {
    for (const [k, v] of Object.entries(vars || {})) {
      if (v && typeof v === "object") { q.set(k, v.key); put(v.vars); } else if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
    }
  };
  put(item.vars);
  return q.toString();
}

export class KioskVoice {
  /** log is the element the spoken sentences are written into; onQuiet
   * is called when the kiosk has said everything it was asked to. */
  constructor({ log, onQuiet = () => {} }) {
    this.on = false;
    this.logEl = log;
    this.onQuiet = onQuiet;
    this.gen = 0;        // each say() cuts off the one before it
    this.last = [];
    this.pending = [];    // the sentences still to say, fetched or being fetched
    this.running = 0;     // the gen whose sentences are being said, 0 when quiet
    this.quietAfter = true;
    this.audio = null;
    this.cache = new Map(); // query → Promise of {lang, text, blob}
  }

  start() { this.on = true; }

  /** Voice mode ends (the next visitor): silence at once. */
  stop() {
    this.on = false;
    this.gen++;
    this.silence();
    this.logEl.replaceChildren();
  }

  /** Says items one after another, cutting off what was being said, as a
   * screen reader does when focus moves. With queue, the items follow what
   * is being said instead (the characters of a code typed quickly are all
   * heard, in order). With idle (the warning before the kiosk starts
   * again), the end of the words is not a sign of the visitor: the idle
   * time is not started again by it, and V does not repeat it. */
  say(items, { queue = false, idle = false } = {}) {
    items = items.filter(Boolean);
    if (!this.on || !items.length) return;
    const sentences = items.map((it) => this.fetch(it));
    if (queue && this.running === this.gen) {
      this.pending.push(...sentences);
      this.last = [...this.last, ...items];
      return;
    }
    if (!idle) this.last = items;
    const gen = ++this.gen;
    this.silence();
    this.pending = sentences;
    this.quietAfter = !idle;
    this.run(gen);
  }

  /** Says the last sentences again (the repeat key). */
  repeat() { this.say(this.last); }

  silence() {
    if (this.audio) { this.audio.pause(); this.audio.onended = null; this.audio = null; }
    window.speechSynthesis?.cancel();
  }

  fetch(item) {
    const q = voiceQuery(item);
    if (!this.cache.has(q)) {
      const p = fetch(`/api/v1/voice?${q}`, { cache: "no-store" }).then(async (r) => {
        if (!r.ok) throw new Error(`voice ${q}: ${r.status}`);
        const s = await r.json();
        let blob = null;
        if (s.audio) {
          const a = await fetch(s.audio).catch(() => null);
          blob = a?.ok ? await a.blob() : null;
        }
        return { lang: s.lang, text: s.text, blob };
      });
      p.catch(() => this.cache.delete(q)); // asked again next time
      this.cache.set(q, p);
      if (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value);
    }
    return this.cache.get(q).catch((e) => { console.warn(String(e)); return null; });
  }

  async run(gen) {
    this.running = gen;
    while (this.pending.length) {
      const s = await this.pending.shift();
      if (gen !== this.gen) return;
      if (!s) continue;
      this.write(s);
      let ok = s.blob ? await this.play(s.blob, gen) : false;
      if (gen !== this.gen) return;
      if (!ok) ok = await speakBrowser(s.text, s.lang);
      if (gen !== this.gen) return;
    }
    this.running = 0;
    if (this.quietAfter) this.onQuiet();
  }

  play(blob, gen) {
    return new Promise((resolve) => {
      const url = URL.createObjectURL(blob);
      const audio = new Audio(url);
      this.audio = audio;
      const done = (ok) => { URL.revokeObjectURL(url); clearTimeout(timer); resolve(ok); };
      // A sound that never ends (a stuck device) is given up.
      const timer = setTimeout(() => { audio.pause(); done(false); }, 60000);
      audio.onended = () => done(true);
      audio.onerror = () => done(false);
      audio.play().catch(() => done(gen !== this.gen));
    });
  }

  write(s) {
    const p = document.createElement("p");
    p.lang = s.lang;
    p.textContent = s.text;
    this.logEl.append(p);
    while (this.logEl.children.length > LOG_LINES) this.logEl.firstElementChild.remove();
  }
}

// The hall's announcements: a chime, then the call spoken in Lithuanian and
// the office's second language. Calls are queued and spoken one at a time,
// in call order; none is dropped and none talks over another. A recall is a
// call and is announced again.
//
//   const a = new Announcer(await HallSpeaker.create());
//   a.say({ number: "A012", desk: 3 });
//
// The speaker is anything with `async announce(call)`; tests give a fake.

/** Announcer runs announcements strictly one after another. */
export class Announcer {
  constructor(speaker, { log = console } = {}) {
    this.speaker = speaker;
    this.log = log;
    this.queue = [];
    this.busy = null; // the running pump's promise
  }

  /** Queues the call's announcement. */
  say(call) {
    this.queue.push(call);
    if (!this.busy) this.busy = this.pump();
  }

  /** Resolves when every queued announcement has been made. */
  async idle() { while (this.busy) await this.busy; }

  async pump() {
    while (this.queue.length) {
      const call = this.queue.shift();
      try {
        await this.speaker.announce(call);
      } catch (e) {
        // A speaker that fails must not stop the calls after it.
        this.log.warn(`display: announcing ${call.number}: ${e}`);
      }
    }
    this.busy = null;
  }
}

/** Plays url to its end; resolves false when it cannot be played. A sound
 * that never ends (a stuck device) is given up after maxMs so the queue
 * moves on. onBlocked is called when the browser refuses to play before a
 * first interaction. */
export function playAudio(url, { maxMs = 15000, onBlocked = () => {}, onPlaying = () => {} } = {}) {
  return new Promise((resolve) => {
    const audio = new Audio(url);
    let done = false;
    const finish = (ok) => { if (!done) { done = true; clearTimeout(timer); resolve(ok); } };
    const timer = setTimeout(() => finish(false), maxMs);
    audio.onended = () => finish(true);
    audio.onerror = () => finish(false);
    audio.onplaying = () => onPlaying(url);
    audio.play().catch((e) => { if (e && e.name === "NotAllowedError") onBlocked(); finish(false); });
  });
}

/** Speaks text with the browser's own voice for lang; false when the
 * browser has no voice for that language (a wrong-language voice reading
 * Lithuanian would be worse than silence after the chime). */
export function speakBrowser(text, lang, { maxMs = 15000 } = {}) {
  const synth = window.speechSynthesis;
  const voice = synth && synth.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang));
  if (!voice) return Promise.resolve(false);
  return new Promise((resolve) => {
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice; u.lang = voice.lang; u.rate = 0.9;
    let done = false;
    const finish = (ok) => { if (!done) { done = true; clearTimeout(timer); resolve(ok); } };
    const timer = setTimeout(() => { synth.cancel(); finish(false); }, maxMs);
    u.onend = () => finish(true);
    u.onerror = () => finish(false);
    synth.speak(u);
  });
}

/** The hall's speaker: the chime, then the server's espeak-ng audio, else
 * the browser's voice, else the chime alone. */
export class HallSpeaker {
  constructor({ mode, chime = "/static/sounds/chime.wav", log = console, onBlocked = () => {} }) {
    this.mode = mode; // "server", "browser" or "chime"
    this.chime = chime;
    this.log = log;
    this.onBlocked = onBlocked;
    this.played = []; // {url, at} of every sound that started, for tests and the console
  }

  playing = (url) => { this.played.push({ url, at: performance.timeOrigin + performance.now() }); };

  /** Finds out which voice the hall has and says so in the log. */
  static async create(opts = {}) {
    const log = opts.log || console;
    let mode = "chime";
    try {
      const r = await fetch("/api/v1/announce?number=A001&desk=1", { cache: "no-cache" });
      if (r.ok && (await r.json()).speech) mode = "server";
    } catch { /* offline at start: decided again on the first call */ }
    if (mode === "chime" && await browserVoices()) mode = "browser";
    const how = { server: "the server's espeak-ng audio", browser: "the browser's speech synthesis", chime: "the chime alone (no espeak-ng on the server, no voice in the browser)" };
    log.info(`display: announcements use ${how[mode]}`);
    // The chime is kept in memory: the first call must not wait for it.
    let chime = opts.chime || "/static/sounds/chime.wav";
    try { chime = URL.createObjectURL(await (await fetch(chime)).blob()); } catch { /* played from the server */ }
    return new HallSpeaker({ ...opts, mode, chime });
  }

  async announce(call) {
    // The sentences, and their audio, are fetched while the chime plays, so
    // the voice follows the chime without a pause for synthesis.
    const info = this.mode === "chime" ? null
      : fetch(`/api/v1/announce?number=${encodeURIComponent(call.number)}&desk=${call.desk}`)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`announce: ${r.status}`))));
    const audio = this.mode !== "server" ? null : info.then((a) => Promise.all(a.items.map((it) => (!it.audio ? null
      : fetch(it.audio).then((r) => (r.ok ? r.blob() : null)).catch(() => null)))));
    info?.catch(() => {}); audio?.catch(() => {}); // handled below, after the chime
    await playAudio(this.chime, { maxMs: 5000, onBlocked: this.onBlocked, onPlaying: () => this.playing("chime") });
    if (!info) return;
    const a = await info;
    const blobs = audio ? await audio.catch(() => []) : [];
    for (const [i, it] of a.items.entries()) {
      let ok = false;
      if (blobs[i]) {
        const url = URL.createObjectURL(blobs[i]);
        ok = await playAudio(url, { onBlocked: this.onBlocked, onPlaying: () => this.playing(it.audio) });
        URL.revokeObjectURL(url);
      }
      if (!ok) ok = await speakBrowser(it.text, it.lang);
      if (!ok) this.log.warn(`display: could not speak "${it.text}" (${it.lang}); the chime was played`);
    }
  }
}

/** Whether the browser has any voice; voices load late in Chromium. */
function browserVoices() {
  const synth = window.speechSynthesis;
  if (!synth) return Promise.resolve(false);
  if (synth.getVoices().length) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(synth.getVoices().length > 0), 1500);
    synth.onvoiceschanged = () => { clearTimeout(timer); resolve(synth.getVoices().length > 0); };
  });
}

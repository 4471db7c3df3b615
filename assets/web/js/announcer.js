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
 * the browser's voice, else the chime alone. Sounds go through Web Audio
 * from decoded buffers: an <audio> element needs a few hundred
 * milliseconds to open the output on every play, a running AudioContext
 * starts at once. */
export class HallSpeaker {
  constructor({ mode, ctx = null, chime = null, log = console, onBlocked = () => {} }) {
    this.mode = mode; // "server", "browser", "chime", or "unknown" while the server could not be asked
    this.ctx = ctx;
    this.chime = chime; // the decoded chime, or its URL without Web Audio
    this.log = log;
    this.onBlocked = onBlocked;
    this.played = []; // {url, at} of every sound that started, for tests and the console
  }

  /** Finds out which voice the hall has and says so in the log. */
  static async create(opts = {}) {
    const AC = window.AudioContext || window.webkitAudioContext;
    const ctx = AC ? new AC() : null;
    let chime = "/static/sounds/chime.wav";
    if (ctx) {
      try { chime = await ctx.decodeAudioData(await (await fetch(chime)).arrayBuffer()); } catch { /* played as a URL */ }
    }
    const s = new HallSpeaker({ ...opts, mode: "unknown", ctx, chime });
    await s.detect();
    return s;
  }

  async detect() {
    try {
      const r = await fetch("/api/v1/announce?number=A001&desk=1", { cache: "no-cache" });
      if (!r.ok) throw new Error(String(r.status));
      this.mode = (await r.json()).speech ? "server" : "chime";
    } catch {
      this.mode = "unknown"; // offline: asked again on the next call
    }
    if (this.mode === "chime" && await browserVoices()) this.mode = "browser";
    const how = { server: "the server's espeak-ng audio", browser: "the browser's speech synthesis",
      chime: "the chime alone (no espeak-ng on the server, no voice in the browser)", unknown: "the chime until the server answers" };
    this.log.info(`display: announcements use ${how[this.mode]}`);
  }

  /** Lets sound play after a person touched the page (autoplay rules). */
  unlock() { this.ctx?.resume().catch(() => {}); }

  playing(url) {
    // When the sound reaches the speakers: now plus the output's latency.
    const lag = this.ctx ? (this.ctx.baseLatency || 0) + (this.ctx.outputLatency || 0) : 0;
    this.played.push({ url, at: performance.timeOrigin + performance.now() + lag * 1000 });
  }

  /** Plays a decoded buffer to its end; false when it could not play. */
  playBuffer(buf, tag) {
    if (this.ctx.state !== "running") {
      this.ctx.resume().catch(() => {});
      if (this.ctx.state === "suspended") this.onBlocked();
    }
    return new Promise((resolve) => {
      const src = this.ctx.createBufferSource();
      src.buffer = buf;
      src.connect(this.ctx.destination);
      // A suspended context never ends the sound: give up after its length.
      const timer = setTimeout(() => { try { src.stop(); } catch { /* not started */ } resolve(false); }, buf.duration * 1000 + 2000);
      src.onended = () => { clearTimeout(timer); resolve(this.ctx.state === "running"); };
      src.start();
      this.playing(tag);
    });
  }

  /** Plays a sound given as a decoded buffer, a Blob, or a URL. */
  async play(sound, tag) {
    if (this.ctx && sound instanceof Blob) {
      try { sound = await this.ctx.decodeAudioData(await sound.arrayBuffer()); } catch { sound = URL.createObjectURL(sound); }
    }
    if (this.ctx && sound instanceof AudioBuffer) return this.playBuffer(sound, tag);
    if (sound instanceof Blob) sound = URL.createObjectURL(sound);
    return playAudio(sound, { onBlocked: this.onBlocked, onPlaying: () => this.playing(tag) });
  }

  async announce(call) {
    if (this.mode === "unknown") await this.detect();
    // The sentences, and their audio, are fetched while the chime plays, so
    // the voice follows the chime without a pause for synthesis.
    const info = this.mode === "chime" || this.mode === "unknown" ? null
      : fetch(`/api/v1/announce?number=${encodeURIComponent(call.number)}&desk=${call.desk}`)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`announce: ${r.status}`))));
    const audio = this.mode !== "server" ? null : info.then((a) => Promise.all(a.items.map((it) => (!it.audio ? null
      : fetch(it.audio).then((r) => (r.ok ? r.blob() : null)).catch(() => null)))));
    info?.catch(() => {}); audio?.catch(() => {}); // handled below, after the chime
    await this.play(this.chime, "chime");
    if (!info) return;
    const a = await info;
    const blobs = audio ? await audio.catch(() => []) : [];
    for (const [i, it] of a.items.entries()) {
      let ok = false;
      if (blobs[i]) ok = await this.play(blobs[i], it.audio);
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

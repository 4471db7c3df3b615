// The kiosk by keys and by voice (issue 18.7, docs/voice.md). Keys alone
// take a ticket: arrows (or Tab) move between the options of the screen,
// Enter chooses, Escape goes back. V, or a finger held on the screen for
// two seconds, starts the voice mode: a greeting that says how to use it,
// then each screen and each option as focus comes to it, in the chosen
// language (each language's name in its own), the number taken and how
// many are ahead, and the end of the day's notices: what a sighted visitor
// reads. V again repeats. The voice ends with the visit: after the idle
// time the kiosk starts again, silent, for the next visitor.
import { KioskVoice } from "./voice.js";
import { bannerWords, clock } from "./eod.js";
import { openingWords } from "./takeflow.js";

const LONG_PRESS_MS = 2000;
const LONG_PRESS_SLOP = 30; // px a finger may wander and still be holding

const $ = (id) => document.getElementById(id);

/** Sets up keys, the long press and the voice on the kiosk page. k gives
 * what the page owns: lang(), langs(), office(), snap(), ticket(),
 * screen(), code() (the booking code typed so far), activity() (the idle
 * time starts again) and back() (Escape). */
export function voiceMode(k) {
  const v = new KioskVoice({ log: $("voice-log"), onQuiet: () => k.activity() });
  let quiet = false; // a focus the kiosk moves itself is said with its screen
  const item = (key, vars, lang) => ({ key, vars, lang: lang || k.lang() });
  const usable = (b) => !b.disabled && !b.hidden && b.offsetParent !== null;

  /** The options arrows move between: the screen's buttons, and on the
   * start screen the languages before them. In voice mode the languages
   * are a list of their own: an arrow past the last language must not
   * land on a service the visitor did not ask for, nor one before the
   * first service on a language (Enter there would change the kiosk's
   * language); Enter on a language goes on to the services and Escape
   * comes back. */
  function options() {
    let sel = `#${k.screen()} button`;
    if (k.screen() === "start") {
      const onLang = document.activeElement?.closest?.("#langs");
      sel = !v.on ? "#langs button, #start button" : onLang ? "#langs button" : "#start button";
    }
    return [...document.querySelectorAll(sel)].filter(usable);
  }

  function focus(el) {
    if (!el) return;
    quiet = true;
    el.focus();
    quiet = false;
  }

  /** The booking code so far: how many characters of how many, then each
   * character (the repeat key on the booking screen). */
  function codeItems(code, all) {
    const count = code.length ? item("voice.booking.count", { n: code.length }) : item("voice.booking.empty");
    return all ? [count, ...[...code].map((ch) => item("voice.char", { char: ch }))] : [count];
  }

  /** What an option says: a language its name in itself, a service the
   * office's name, a key of the booking code the character. */
  function optionOf(el) {
    if (!(el instanceof HTMLButtonElement)) return null;
    if (el.closest("#langs")) return item("lang.name", null, el.dataset.lang);
    if (el.dataset.service) return item("voice.service", { service: el.dataset.service });
    if (el.dataset.priority) return item(`kiosk.priority.${el.dataset.priority}`);
    // A key of the on-screen keypad is said as a key, so that it is not
    // heard as one more character of the code just read out.
    if (el.closest("#keypad") && el.dataset.key) return item("voice.key", { char: el.dataset.key });
    if (el.id === "ask-take") return item("eod.kiosk.take");
    if (el.id === "ask-back") return item("eod.kiosk.back");
    return el.dataset.i18n ? item(el.dataset.i18n) : null;
  }

  /** The notices on screen: a refusal, the office closed, the end of the day. */
  function notices() {
    const office = k.office();
    if (!$("error").hidden) return [{ ...($("error").voice || { key: "voice.error" }), lang: k.lang() }];
    if (!$("closed").hidden && office) {
      return [office.next_opening ? item("kiosk.closed", { when: openingWords(office.next_opening, office) }) : item("kiosk.closed.unknown")];
    }
    const eod = !$("eod").hidden && k.snap() ? bannerWords(k.snap().cutoff, office) : null;
    return eod ? [{ ...eod, lang: k.lang() }] : [];
  }

  /** The ticket on screen: the number as people say it, the service, how
   * many are ahead, when it will be called, and whether it printed. */
  function ticketItems() {
    const tk = k.ticket();
    if (!tk) return [];
    const office = k.office();
    let when = null;
    if (tk.open_desks === 0) when = item(tk.desks_not_yet_opened ? "ticket.not_yet_opened" : "ticket.no_desk");
    else if (tk.estimated_call_at) when = item("ticket.estimate", { time: clock(tk.estimated_call_at, office?.time_zone) });
    return [
      item("voice.your_number", { number: tk.number }),
      tk.service ? item("voice.your_service", { service: tk.service }) : null,
      tk.ahead == null ? null : tk.ahead === 0 ? item("ticket.ahead.none") : item("ticket.ahead", { n: tk.ahead }),
      when,
      tk.onScreen || tk.printFailed ? item("voice.print_failed", { number: tk.number }) : item("kiosk.printing"),
    ];
  }

  function screenItems(id) {
    switch (id) {
      case "start": {
        const none = !(k.office()?.services || []).length;
        return [...notices(), item(none ? "kiosk.no_services" : "kiosk.choose_service")];
      }
      case "priority": return [...notices(), item("kiosk.priority.question"), item("priority.note")];
      case "ask": return ($("ask").voice || []).map((w) => ({ ...w, lang: k.lang() }));
      case "result": return ticketItems();
      case "booking": return [...notices(), item("kiosk.booking.enter"), item("voice.booking.how")];
    }
    return [];
  }

  const firstService = () => [...document.querySelectorAll("#start button")].find(usable);

  function setOn(on) {
    document.body.classList.toggle("voice", on);
    $("voice-hint").hidden = on;
    $("voice-on").hidden = !on;
  }

  function start() {
    v.start();
    setOn(true);
    k.activity();
    if (k.screen() === "start") {
      // First the language: focus on the one the kiosk speaks now.
      const cur = [...document.querySelectorAll("#langs button")].find((b) => b.dataset.lang === k.lang());
      focus(cur);
      v.say([item("voice.greeting"), optionOf(cur)]);
      return;
    }
    const el = document.activeElement instanceof HTMLButtonElement ? document.activeElement : options()[0];
    focus(el);
    v.say([item("voice.greeting"), item("voice.keys"), ...screenItems(k.screen()), optionOf(el)]);
  }

  /** Moves focus step options on. A list stops at its ends, where the
   * voice says so and the option again: focus never leaves the screen's
   * options and never jumps silently from the last to the first. */
  function move(step) {
    const opts = options();
    if (!opts.length) return;
    const i = opts.indexOf(document.activeElement);
    if (i < 0) { opts[step > 0 ? 0 : opts.length - 1].focus(); return; } // said by focusin
    const next = i + step;
    if (next < 0 || next >= opts.length) {
      v.say([item(next < 0 ? "voice.list.start" : "voice.list.end"), optionOf(opts[i])]);
      return;
    }
    opts[next].focus();
  }

  /** Escape: one step back. On the start screen, from the services to the
   * language; on the ticket, to the start screen with the voice still on
   * (the visitor may take another ticket); elsewhere the page's back. */
  function back() {
    if (k.screen() !== "start") { k.back(); return; }
    if (!v.on) return;
    const onLang = document.activeElement?.closest?.("#langs");
    const cur = [...document.querySelectorAll("#langs button")].find((b) => b.dataset.lang === k.lang());
    if (onLang || !cur) { v.say([item("voice.lang.choose"), optionOf(onLang ? document.activeElement : cur)]); return; }
    focus(cur);
    v.say([item("voice.lang.choose"), optionOf(cur)]);
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
    if (ev.key === "v" || ev.key === "V") {
      ev.preventDefault();
      if (!v.on) start();
      else if (k.screen() === "booking") v.say([...codeItems(k.code(), true), optionOf(document.activeElement)]);
      else v.repeat();
      return;
    }
    if (ev.key === "Escape") {
      ev.preventDefault();
      back();
      return;
    }
    // In voice mode Tab is an arrow: focus stays among the screen's options.
    const tab = v.on && ev.key === "Tab" ? (ev.shiftKey ? -1 : 1) : 0;
    const step = tab || { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[ev.key];
    if (step) {
      ev.preventDefault();
      move(step);
    }
  });
  document.addEventListener("focusin", (ev) => {
    if (v.on && !quiet) v.say([optionOf(ev.target)]);
  });

  // The long press: a finger held still for two seconds anywhere. The
  // click that its lifting makes is not a choice.
  let press = null;
  let swallow = false;
  let held = false; // a long press started the voice and its touch has not ended
  const cancel = () => { if (press) clearTimeout(press.timer); press = null; };
  document.addEventListener("pointerdown", (ev) => {
    cancel();
    if (v.on) return;
    press = {
      x: ev.clientX, y: ev.clientY,
      timer: setTimeout(() => {
        press = null;
        swallow = true;
        start();
        held = true;
      }, LONG_PRESS_MS),
    };
  }, { capture: true });
  document.addEventListener("pointermove", (ev) => {
    if (press && Math.hypot(ev.clientX - press.x, ev.clientY - press.y) > LONG_PRESS_SLOP) cancel();
  }, { capture: true });
  document.addEventListener("pointerup", (ev) => {
    cancel();
    if (ev.pointerType !== "touch") held = false;
    if (swallow) setTimeout(() => { swallow = false; }, 0);
  }, { capture: true });
  // A touch ends in compatibility mouse events and a click, later than
  // the pointerup the swallowing above waits for: they would focus and
  // choose the button under the finger. Not after a long press.
  document.addEventListener("touchend", (ev) => {
    if (held && ev.cancelable) ev.preventDefault();
    held = false;
  }, { capture: true, passive: false });
  document.addEventListener("pointercancel", cancel, { capture: true });
  document.addEventListener("click", (ev) => {
    if (swallow) { ev.preventDefault(); ev.stopPropagation(); swallow = false; }
  }, { capture: true });
  document.addEventListener("contextmenu", (ev) => ev.preventDefault()); // a held finger is not a right click

  return {
    get on() { return v.on; },
    /** Voice mode ends: the next visitor. */
    stop() { v.stop(); setOn(false); },
    /** A screen came: say it and the option focus goes to. */
    screen(id, first) {
      const el = id === "start" ? firstService() : first;
      focus(el);
      v.say([...screenItems(id), optionOf(el)]);
    },
    /** A language was chosen: the keys again in it, then the services. */
    languageChosen() {
      if (!v.on) return;
      const el = firstService();
      focus(el);
      v.say([item("voice.keys"), ...screenItems("start"), optionOf(el)]);
    },
    /** The ticket on screen did not print. */
    printFailed() { if (v.on) v.say(ticketItems().slice(-1)); },
    /** A character was typed into the booking code: said after the ones
     * before it, so a quick typist hears every one; the code complete, how
     * to go on. */
    typed(ch, complete) {
      v.say([item("voice.char", { char: ch }), complete ? item("voice.booking.complete") : null], { queue: true });
    },
    /** Backspace: the character erased, or that there was none. */
    erased(ch) { v.say([ch ? item("voice.booking.erased", { char: ch }) : item("voice.booking.nothing")]); },
    /** Enter with the code not complete: how far it is. */
    incomplete(code) { v.say(codeItems(code, false)); },
    /** A refusal shown on screen (a check-in too early, too late, an
     * unknown code): said, then the option focus is on. */
    refused(words) { v.say([...words.map((w) => ({ ...w, lang: k.lang() })), optionOf(document.activeElement)]); },
    /** Ten seconds before the idle time ends: the visitor is warned, and
     * any key keeps the kiosk (the page's activity). */
    idleWarning() { v.say([item("voice.idle.warning")], { idle: true }); },
  };
}

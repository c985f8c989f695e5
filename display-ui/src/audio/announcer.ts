// Announces calls: a chime, then in each configured language the call said with recorded segments played back to
// back through Web Audio, or with speech synthesis where that language's segments are missing. Announcements are
// queued: one never starts before the previous one has finished.
import type { CallEvent } from '../../../server/src/shared/contracts/events.js';
import { playChime } from './chime.js';
import { callKeys, callText, missingFiles, type VoiceManifest } from './spell.js';

export interface AnnouncementRecord {
  number: string;
  counter: number;
  lang: string;
  recall: boolean;
  segments: string[];
  mode: 'audio' | 'speech';
  at: string;
}

declare global {
  interface Window {
    /** Test hook: every announcement the player starts, in order. */
    __smartqueueAnnouncements?: AnnouncementRecord[];
  }
}

export interface AnnouncerOptions {
  languages: string[];
  /** Folder of the voices, e.g. /display/voices/ (one sub-folder per language). */
  voicesUrl: string;
  /** Sentence for speech synthesis when a language has no usable manifest. */
  fallbackText: (lang: string, call: CallEvent) => string;
}

const SPEECH_LANG: Record<string, string[]> = { fr: ['fr-FR', 'fr'], en: ['en-GB', 'en-US', 'en'], wo: ['wo-SN', 'wo', 'fr-SN', 'fr-FR', 'fr'] };
const SEGMENT_GAP_S = 0.03;

export class Announcer {
  private queue: Promise<void> = Promise.resolve();
  private ctx: AudioContext | null = null;
  private output: GainNode | null = null;
  private readonly manifests = new Map<string, Promise<VoiceManifest | null>>();
  private readonly buffers = new Map<string, Promise<AudioBuffer | null>>();

  constructor(private readonly options: AnnouncerOptions) {
    window.__smartqueueAnnouncements ??= [];
    try {
      this.ctx = new AudioContext();
      this.output = this.ctx.createGain();
      this.output.connect(this.ctx.destination);
    } catch {
      this.ctx = null; // no Web Audio: speech synthesis only
    }
  }

  /** True when the browser holds audio until a user gesture (a TV should be started with autoplay allowed). */
  get needsGesture(): boolean {
    return this.ctx?.state === 'suspended';
  }

  async unlock(): Promise<void> {
    await this.ctx?.resume().catch(() => undefined);
  }

  announce(call: CallEvent): void {
    this.queue = this.queue.then(() => this.play(call)).catch(() => undefined);
  }

  /** Resolves when everything queued so far has been played. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async play(call: CallEvent): Promise<void> {
    await this.ctx?.resume().catch(() => undefined);
    if (this.ctx && this.output) await sleep(playChime(this.ctx, this.output) * 1000);
    for (const lang of this.options.languages) await this.say(call, lang);
  }

  private async say(call: CallEvent, lang: string): Promise<void> {
    const manifest = await this.manifest(lang);
    const keys = manifest ? callKeys(manifest, call.number, call.counterNumber) : null;
    const record = (mode: AnnouncementRecord['mode'], segments: string[]) => {
      window.__smartqueueAnnouncements?.push({ number: call.number, counter: call.counterNumber, lang, recall: call.recall, segments, mode, at: new Date().toISOString() });
    };
    if (manifest && keys && missingFiles(manifest, keys).length === 0 && this.ctx && this.output) {
      const buffers = await Promise.all(keys.map((k) => this.buffer(lang, manifest.segments[k]?.file as string)));
      if (buffers.every((b): b is AudioBuffer => b !== null)) {
        record('audio', keys);
        await this.playBuffers(buffers);
        return;
      }
    }
    const text = (manifest && keys && callText(manifest, keys)) || this.options.fallbackText(lang, call);
    record('speech', keys ?? []);
    await speak(text, lang);
  }

  /** Schedules the segments back to back on the audio clock, then waits for them to finish. */
  private async playBuffers(buffers: AudioBuffer[]): Promise<void> {
    const ctx = this.ctx as AudioContext;
    let t = ctx.currentTime + 0.05;
    const start = t;
    for (const buffer of buffers) {
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(this.output as GainNode);
      source.start(t);
      t += buffer.duration + SEGMENT_GAP_S;
    }
    // Waits on the wall clock, not on `ended` events: a muted or suspended output must not stall the queue.
    await sleep((t - start) * 1000 + 250);
  }

  private manifest(lang: string): Promise<VoiceManifest | null> {
    let p = this.manifests.get(lang);
    if (!p) {
      p = fetch(`${this.options.voicesUrl}${lang}/manifest.json`, { cache: 'no-cache' })
        .then((res) => (res.ok ? (res.json() as Promise<VoiceManifest>) : null))
        .catch(() => null);
      this.manifests.set(lang, p);
      // A missing manifest is retried later (the server may have been down), a loaded one is kept.
      void p.then((m) => { if (!m) this.manifests.delete(lang); });
    }
    return p;
  }

  private buffer(lang: string, file: string): Promise<AudioBuffer | null> {
    const url = `${this.options.voicesUrl}${lang}/${file}`;
    let p = this.buffers.get(url);
    if (!p) {
      const ctx = this.ctx as AudioContext;
      p = fetch(url)
        .then((res) => (res.ok ? res.arrayBuffer() : Promise.reject(new Error(`${url}: ${res.status}`))))
        .then((data) => ctx.decodeAudioData(data))
        .catch(() => null);
      this.buffers.set(url, p);
      void p.then((b) => { if (!b) this.buffers.delete(url); });
    }
    return p;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Speech synthesis in the language, or the closest voice there is (Wolof is read by a French voice). */
function speak(text: string, lang: string): Promise<void> {
  const synth = typeof window.speechSynthesis === 'undefined' ? null : window.speechSynthesis;
  if (!synth) return sleep(500);
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    const wanted = SPEECH_LANG[lang] ?? [lang];
    const voices = synth.getVoices();
    const voice = wanted.map((w) => voices.find((v) => v.lang.toLowerCase().startsWith(w.toLowerCase()))).find((v) => v);
    if (voice) utterance.voice = voice;
    utterance.lang = voice?.lang ?? wanted[0] ?? lang;
    utterance.rate = 0.9;
    let done = false;
    const finish = () => { if (!done) { done = true; resolve(); } };
    utterance.onend = finish;
    utterance.onerror = finish;
    // Some engines never report the end (no voice installed): the queue goes on after a bounded time.
    setTimeout(finish, 1500 + text.length * 100);
    synth.speak(utterance);
  });
}

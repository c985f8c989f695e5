// How a call is said: the segment keys of a voice manifest, in order ("ticket" "letter-A" "number-42" "counter"
// "number-3"). Pure functions, so the rule is the same for recorded segments and for the speech fallback.

export interface VoiceSegment {
  /** What the segment says, in the language (used by the speech fallback and by whoever records it). */
  text: string;
  /** File name in the language's folder, or null when not recorded yet. */
  file: string | null;
}

export interface VoiceManifest {
  language: string;
  name: string;
  /** Keys in order; {ticket} expands to the ticket's letters and number, {counter} to the counter's number. */
  pattern: string[];
  /** Segment said between the hundreds and the rest of a number ("one hundred AND forty-two"), or null. */
  hundredsJoin: string | null;
  segments: Record<string, VoiceSegment>;
}

/** 0-999 as segment keys: number-0 … number-99, hundred-1 … hundred-9. Null past 999 (the caller falls back). */
export function numberKeys(n: number, hundredsJoin: string | null): string[] | null {
  if (!Number.isInteger(n) || n < 0 || n > 999) return null;
  if (n < 100) return [`number-${n}`];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (rest === 0) return [`hundred-${hundreds}`];
  return [`hundred-${hundreds}`, ...(hundredsJoin ? [hundredsJoin] : []), `number-${rest}`];
}

/** "A042" → letter-A, number-42; "AB7" → letter-A, letter-B, number-7. Null when it is not letters then digits. */
export function ticketKeys(ticketNumber: string, hundredsJoin: string | null): string[] | null {
  const match = /^([A-Z]+)(\d+)$/.exec(ticketNumber);
  if (!match) return null;
  const digits = numberKeys(Number(match[2]), hundredsJoin);
  if (!digits) return null;
  return [...(match[1] as string).split('').map((l) => `letter-${l}`), ...digits];
}

/** The segment keys of a call in a manifest's pattern; null when something cannot be said with segments. */
export function callKeys(manifest: VoiceManifest, ticketNumber: string, counterNumber: number): string[] | null {
  const keys: string[] = [];
  for (const part of manifest.pattern) {
    const expanded = part === '{ticket}' ? ticketKeys(ticketNumber, manifest.hundredsJoin)
      : part === '{counter}' ? numberKeys(counterNumber, manifest.hundredsJoin)
        : [part];
    if (!expanded) return null;
    keys.push(...expanded);
  }
  return keys;
}

/** Keys of the call that the manifest lacks, or has without a recorded file. */
export function missingFiles(manifest: VoiceManifest, keys: string[]): string[] {
  return keys.filter((k) => !manifest.segments[k]?.file);
}

/** The call as one sentence from the segments' texts (for speech synthesis), or null when a text is missing. */
export function callText(manifest: VoiceManifest, keys: string[]): string | null {
  const texts = keys.map((k) => manifest.segments[k]?.text);
  if (texts.some((t) => !t)) return null;
  return texts.join(' ');
}

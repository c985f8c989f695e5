// The GSM 03.38 default alphabet (GSM-7): a text made only of these characters is sent in 7-bit units, 160 to one
// SMS; one character outside it (ê, ç, ë, ’, an emoji…) makes the whole message UCS-2, 70 to an SMS. Messages to
// visitors' phones are written in it, and the values put into them (branch and service names) are brought into it.

/** The basic table: one septet each. */
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: an escape septet plus one, so two each. */
const EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(BASIC);
const extension = new Set(EXTENSION);

/** One SMS in GSM-7. */
export const GSM7_SMS_SEPTETS = 160;

/** Whether every character of `text` is in the GSM-7 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const c of text) if (!basic.has(c) && !extension.has(c)) return false;
  return true;
}

/** Septets `text` takes in GSM-7 (extension characters count two), or null when it is not GSM-7. */
export function gsm7Length(text: string): number | null {
  let n = 0;
  for (const c of text) {
    if (basic.has(c)) n += 1;
    else if (extension.has(c)) n += 2;
    else return null;
  }
  return n;
}

/** Whether `text` goes in one GSM-7 SMS (160 septets), without turning the message into UCS-2. */
export function fitsOneGsm7Sms(text: string): boolean {
  const n = gsm7Length(text);
  return n !== null && n <= GSM7_SMS_SEPTETS;
}

const LOOKALIKE: Record<string, string> = {
  '‘': "'", '’': "'", 'ʼ': "'", '“': '"', '”': '"', '«': '"', '»': '"', '–': '-', '—': '-', '…': '...', '\u00a0': ' ', '\u202f': ' ', 'ç': 'c',
};

/**
 * `text` brought into GSM-7 for a value put into a message (a branch's name): typographic marks become their plain
 * forms, letters lose the accents GSM-7 lacks (ê → e, ë → e, ó → o; é, è, à, ñ… are kept), anything else becomes "?".
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const c of text) {
    if (basic.has(c) || extension.has(c)) out += c;
    else if (LOOKALIKE[c] !== undefined) out += LOOKALIKE[c];
    else {
      const bare = c.normalize('NFD').replace(/\p{M}+/gu, '');
      out += bare && [...bare].every((x) => basic.has(x)) ? bare : '?';
    }
  }
  return out;
}

/**
 * At most `max` septets of `text` (already GSM-7), marked with "." when cut: at the last word boundary when that
 * keeps most of it and not on a little word ("Transferts et Mobile Money" → "Transferts."), else at a character.
 */
export function clipGsm7(text: string, max: number): string {
  if ((gsm7Length(text) ?? Infinity) <= max) return text;
  let out = '';
  let n = 0;
  let rest = '';
  for (const c of text) {
    const w = extension.has(c) ? 2 : 1;
    if (n + w > max - 1) { rest = c; break; }
    out += c;
    n += w;
  }
  const space = out.lastIndexOf(' ');
  if (rest !== ' ' && space >= Math.ceil(out.length * 0.6)) out = out.slice(0, space);
  // A cut name does not end on a little word ("Transferts et." → "Transferts.").
  out = out.trimEnd().replace(/[\s,;:/-]+$/, '').replace(/(\S)\s+\p{Ll}{1,3}$/u, '$1');
  return `${out.replace(/[\s,;:/-]+$/, '')}.`;
}

// Booking codes: what a visitor types at the kiosk (or what its QR code types for them).
//
// Eight symbols of Crockford's base32 (digits and capitals without I, L, O, U, so nothing looks alike): seven random
// ones and a check symbol, shown as two groups of four (K7M4-4QX2). The check symbol is a weighted sum mod 31, which
// catches every single mistyped symbol and every swap of two neighbours (but the 0/Z pair), so the kiosk can say
// "this code is mistyped" without asking anyone. Seven random symbols give 32^7 ≈ 3.4·10^10 codes.
// Pure: the caller supplies the random values.

export const BOOKING_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const BOOKING_CODE_RANDOM_SYMBOLS = 7;
export const BOOKING_CODE_LENGTH = BOOKING_CODE_RANDOM_SYMBOLS + 1;
const CHECK_MODULUS = 31;

/** Symbols people confuse with a symbol of the alphabet. */
const LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1', U: 'V' };

function checkSymbol(values: readonly number[]): string {
  const sum = values.reduce((acc, v, i) => acc + (i + 1) * v, 0);
  return BOOKING_CODE_ALPHABET[sum % CHECK_MODULUS] as string;
}

/** A canonical code (8 symbols, no dash) from seven values in 0..31, e.g. from crypto.randomInt(32). */
export function bookingCodeFromValues(values: readonly number[]): string {
  if (values.length !== BOOKING_CODE_RANDOM_SYMBOLS || values.some((v) => !Number.isInteger(v) || v < 0 || v > 31)) {
    throw new RangeError(`a booking code needs ${BOOKING_CODE_RANDOM_SYMBOLS} values from 0 to 31`);
  }
  return values.map((v) => BOOKING_CODE_ALPHABET[v]).join('') + checkSymbol(values);
}

/** 'K7M44QX2' → 'K7M4-4QX2'. */
export function formatBookingCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a visitor or a scanner typed → the canonical code, or null when it is not a valid code. Accepts lower case,
 * spaces and dashes, look-alike letters (O for 0, I or L for 1, U for V), and a link that carries the code (a QR
 * code that holds `https://…/booking?code=K7M4-4QX2` or `…/bookings/K7M4-4QX2`).
 */
export function normalizeBookingCode(input: string): string | null {
  let text = input.trim();
  if (text.length > 300) return null;
  const param = /[?&#]code=([^&#\s]+)/i.exec(text);
  if (param?.[1]) {
    // A broken escape (`%`, `%zz`) is not a code: the caller answers it as mistyped, never as a crash.
    try { text = decodeURIComponent(param[1]); } catch { return null; }
  }
  else if (text.includes('/')) text = text.split('/').filter(Boolean).pop() ?? '';
  const compact = text.toUpperCase().replace(/[\s.\-_]/g, '').replace(/[OILU]/g, (c) => LOOK_ALIKES[c] as string);
  if (compact.length !== BOOKING_CODE_LENGTH) return null;
  const values: number[] = [];
  for (const symbol of compact.slice(0, BOOKING_CODE_RANDOM_SYMBOLS)) {
    const v = BOOKING_CODE_ALPHABET.indexOf(symbol);
    if (v < 0) return null;
    values.push(v);
  }
  return compact.endsWith(checkSymbol(values)) ? compact : null;
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BOOKING_CODE_ALPHABET, bookingCodeFromValues, formatBookingCode, normalizeBookingCode } from './booking-code.js';

const values = fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 7, maxLength: 7 });

describe('booking codes', () => {
  it('round-trips through display, lower case, spaces and links', () => {
    const code = bookingCodeFromValues([20, 7, 19, 4, 4, 23, 29]);
    expect(code).toMatch(/^[0-9A-Z]{8}$/);
    const shown = formatBookingCode(code);
    expect(shown).toBe(`${code.slice(0, 4)}-${code.slice(4)}`);
    for (const typed of [code, shown, shown.toLowerCase(), ` ${code.slice(0, 3)} ${code.slice(3)} `, `https://rdv.example.sn/booking?code=${shown}`, `http://x/bookings/${shown}`]) {
      expect(normalizeBookingCode(typed)).toBe(code);
    }
  });

  it('reads look-alike letters as the digits they resemble', () => {
    const code = bookingCodeFromValues([0, 1, 0, 1, 27, 27, 0]); // 0101VV0 + check
    expect(normalizeBookingCode(code.replace(/0/g, 'O').replace(/1/g, 'l').replace(/V/g, 'U'))).toBe(code);
  });

  it('refuses codes of the wrong length or with foreign symbols', () => {
    expect(normalizeBookingCode('')).toBeNull();
    expect(normalizeBookingCode('ABC')).toBeNull();
    expect(normalizeBookingCode('ABCDEFGHJ')).toBeNull();
    expect(normalizeBookingCode('ABCD-EF*H')).toBeNull();
  });

  it('detects every single mistyped symbol and every swap of neighbours but 0/Z (property)', () => {
    fc.assert(fc.property(values, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 31 }), (v, position, shift) => {
      const code = bookingCodeFromValues(v);
      const symbols = [...code];
      const old = BOOKING_CODE_ALPHABET.indexOf(symbols[position] as string);
      symbols[position] = BOOKING_CODE_ALPHABET[(old + shift) % 32] as string;
      const typo = symbols.join('');
      const pair = new Set([code[position], typo[position]]);
      if (pair.has('0') && pair.has('Z')) return true;
      return normalizeBookingCode(typo) === null;
    }), { seed: 6, numRuns: 500 });
    fc.assert(fc.property(values, fc.integer({ min: 0, max: 6 }), (v, i) => {
      const code = bookingCodeFromValues(v);
      const a = code[i] as string, b = code[i + 1] as string;
      if (a === b || (new Set([a, b]).has('0') && new Set([a, b]).has('Z'))) return true;
      const swapped = code.slice(0, i) + b + a + code.slice(i + 2);
      return normalizeBookingCode(swapped) === null;
    }), { seed: 6, numRuns: 500 });
  });
});

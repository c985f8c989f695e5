// Small pure helpers of the kiosk screens.
import type { ServiceView } from '../../server/src/shared/contracts/api.js';

/** "771234567" → "77 123 45 67" (how Senegalese numbers are read out). */
export function groupPhoneDigits(digits: string): string {
  const parts = [digits.slice(0, 2), digits.slice(2, 5), digits.slice(5, 7), digits.slice(7, 9)].filter(Boolean);
  return parts.join(' ');
}

/** The kiosk asks for the 9 digits after +221; the server checks the same rule. */
export function isSenegalLocalNumber(digits: string): boolean {
  return /^\d{9}$/.test(digits);
}

export function hoursToday(service: ServiceView): string {
  return service.hoursToday.map((r) => `${r.open}–${r.close}`).join(', ');
}

/** Booking codes are 8 symbols shown as XXXX-XXXX. */
export function groupCode(code: string): string {
  return code.length > 4 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

// Visitors' contact data (loi n° 2008-12 on personal data): phone numbers and e-mail addresses are kept only as long
// as the ticket or booking needs them (to tell the visitor their turn, confirm and remind a booking) plus a stated
// period, then erased at the branch and at central. The ticket, the booking and their figures stay.

/** Default days a visitor's contact data is kept after the visit (or the booking) is over. */
export const CONTACT_RETENTION_DAYS = 30;

/** Keys that hold a visitor's contact in stored records (replicated rows, provider callbacks). */
const CONTACT_KEYS = new Set(['phone', 'email', 'payer_phone', 'payerPhone', 'customer', 'msisdn', 'recipient']);

/** The same JSON with every contact value replaced by null (records kept for audit, without the person). */
export function withoutContacts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutContacts);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, CONTACT_KEYS.has(k) ? null : withoutContacts(v)]));
}

/** A stored JSON text without its contacts; unchanged when it is not JSON. */
export function scrubJsonText(text: string): string {
  try {
    return JSON.stringify(withoutContacts(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** Whether a stored JSON text may still hold a contact (a string or object value under a contact key). */
export const CONTACT_LIKE_PATTERNS = ['%"phone":"%', '%"email":"%', '%"payer_phone":"%', '%"payerPhone":"%', '%"customer":{%'];

/** ISO time before which a finished visit's contacts are erased. */
export function retentionCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

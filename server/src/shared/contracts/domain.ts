// Vocabulary of the domain, shared by the server, the UIs and the central API.
// Each list is declared once here; types are inferred from it.
import { z } from 'zod';

export const ORGANIZATION_TYPES = ['bank', 'hospital', 'government', 'telecom', 'insurance', 'business', 'education', 'retail', 'other'] as const;
export const OrganizationType = z.enum(ORGANIZATION_TYPES);
export type OrganizationType = z.infer<typeof OrganizationType>;

/** Senegal's 14 administrative regions. */
export const REGIONS = ['Dakar', 'Diourbel', 'Fatick', 'Kaffrine', 'Kaolack', 'Kédougou', 'Kolda', 'Louga', 'Matam', 'Saint-Louis', 'Sédhiou', 'Tambacounda', 'Thiès', 'Ziguinchor'] as const;
export const Region = z.enum(REGIONS);
export type Region = z.infer<typeof Region>;

export const LANGUAGES = ['fr', 'wo', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;
export const DEFAULT_LANGUAGE: Language = 'fr';

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const DEVICE_ROLES = ['kiosk', 'display'] as const;
export const DeviceRole = z.enum(DEVICE_ROLES);
export type DeviceRole = z.infer<typeof DeviceRole>;

/**
 * The five queue types. Every service has one line; each ticket in it belongs to one of
 * these classes, which decides its precedence at call-next (see domain/call-policy.ts).
 */
export const QUEUE_TYPES = ['normal', 'priority', 'vip', 'appointment', 'express'] as const;
export const QueueType = z.enum(QUEUE_TYPES);
export type QueueType = z.infer<typeof QueueType>;

/** Why a visitor asks for priority. `vip` is only granted by staff, never offered at a kiosk. */
export const PRIORITY_REASONS = ['elderly', 'pregnant', 'disabled', 'vip'] as const;
export const PriorityReason = z.enum(PRIORITY_REASONS);
export type PriorityReason = z.infer<typeof PriorityReason>;
export const KIOSK_PRIORITY_REASONS = ['elderly', 'pregnant', 'disabled'] as const;

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'served', 'cancelled', 'expired', 'no_show', 'transferred'] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const CHANNELS = ['kiosk', 'counter', 'web', 'mobile', 'sms', 'phone', 'ussd'] as const;
/** The channels of a remote ticket (issue 18): taken from anywhere through central, not at the branch. */
export const REMOTE_CHANNELS = ['web', 'sms', 'ussd'] as const;
export const RemoteChannel = z.enum(REMOTE_CHANNELS);
export type RemoteChannel = z.infer<typeof RemoteChannel>;
export function isRemoteChannel(channel: string): channel is RemoteChannel {
  return (REMOTE_CHANNELS as readonly string[]).includes(channel);
}
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** A service's line: active (issue and call), paused (no new tickets, waiting ones still called), closed. */
export const SERVICE_STATUSES = ['active', 'paused', 'closed'] as const;
export const ServiceStatus = z.enum(SERVICE_STATUSES);
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const COUNTER_STATUSES = ['open', 'paused', 'closed'] as const;
export const CounterStatus = z.enum(COUNTER_STATUSES);
export type CounterStatus = z.infer<typeof CounterStatus>;

/** A calendar day, YYYY-MM-DD, that exists (2026-02-30 and 2026-13-45 do not). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD').refine(isCalendarDate, 'no such day in the calendar');

/** Opening hours: for each ISO weekday (1 = Monday … 7 = Sunday) a list of [open, close) "HH:mm" ranges. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:mm');
export const OpeningRange = z.object({ open: TimeOfDay, close: TimeOfDay });
export type OpeningRange = z.infer<typeof OpeningRange>;
export const OpeningHours = z.object({
  1: z.array(OpeningRange), 2: z.array(OpeningRange), 3: z.array(OpeningRange), 4: z.array(OpeningRange),
  5: z.array(OpeningRange), 6: z.array(OpeningRange), 7: z.array(OpeningRange),
});
export type OpeningHours = z.infer<typeof OpeningHours>;

/**
 * Opening hours an admin sets (the branch's, a service's): each range closes after it opens and a day's ranges do not
 * overlap. An issue names the range as sent (path `<weekday>.<index>`) with the domain's own code in `params.issue`
 * (`range_order`, `range_overlap`, as the appointment hours' errors), for the form to show it beside that range.
 */
export const ValidOpeningHours = OpeningHours.superRefine((hours, ctx) => {
  for (const day of ['1', '2', '3', '4', '5', '6', '7'] as const) {
    const ranges = hours[day].map((r, index) => ({ ...r, index })).sort((a, b) => (a.open < b.open ? -1 : a.open > b.open ? 1 : 0));
    ranges.forEach((r, i) => {
      const issue = (code: 'range_order' | 'range_overlap', message: string) => ctx.addIssue({
        code: 'custom', path: [day, r.index], message, params: { issue: code }, weekday: Number(day), range: `${r.open}–${r.close}`,
      });
      if (r.close <= r.open) issue('range_order', `range ${r.open}–${r.close} of weekday ${day} does not close after it opens`);
      const previous = ranges[i - 1];
      if (previous && r.open < previous.close) issue('range_overlap', `ranges ${previous.open}–${previous.close} and ${r.open}–${r.close} of weekday ${day} overlap`);
    });
  }
});

export const LocalizedText = z.object({ fr: z.string().min(1).max(120), wo: z.string().min(1).max(120), en: z.string().min(1).max(120) });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** Senegal phone numbers: +221 followed by 9 digits (spaces, dots and dashes tolerated on input). */
export const SENEGAL_PHONE_RE = /^\+221\d{9}$/;
export function normalizeSenegalPhone(input: string): string | null {
  const compact = input.replace(/[\s.-]/g, '');
  const withCode = compact.startsWith('00221') ? `+${compact.slice(2)}` : compact.startsWith('221') ? `+${compact}` : /^\d{9}$/.test(compact) ? `+221${compact}` : compact;
  return SENEGAL_PHONE_RE.test(withCode) ? withCode : null;
}
export const SenegalPhone = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const phone = normalizeSenegalPhone(value);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: 'phone must be a Senegal number: +221 followed by 9 digits' });
      return z.NEVER;
    }
    return phone;
  });

// One-time codes for visitors (issue 18, visitor web site): a visitor proves a phone number (a code by SMS) or an
// e-mail address (a code by e-mail) before central acts in its name; a verified visitor gets a short-lived token
// bound to that phone or address. A web join needs the token of its own phone.
import { z } from 'zod';
import { Language, SenegalPhone } from './domain.js';

export const VisitorCodeRequest = z.strictObject({
  phone: SenegalPhone.optional(),
  email: z.email('email is not a valid address').max(254).optional(),
  language: Language.default('fr'),
}).refine((b) => (b.phone === undefined) !== (b.email === undefined), { message: 'a phone number (+221…) or an e-mail address, one of them', path: ['phone'] });
export type VisitorCodeRequest = z.input<typeof VisitorCodeRequest>;

export const VisitorCodeSent = z.object({
  /** The code's id: the visitor sends it back with the code. */
  codeId: z.string(),
  channel: z.enum(['sms', 'email']),
  /** Where it went, partly hidden (+221 77 ••• •• 67). */
  sentTo: z.string(),
  expiresAt: z.string(),
  /** Wrong codes allowed before this one is spent. */
  attempts: z.number().int(),
});
export type VisitorCodeSent = z.infer<typeof VisitorCodeSent>;

export const VisitorCodeCheck = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'the code has 6 digits') });

export const VisitorToken = z.object({
  /** Bearer of the verified phone or address until expiresAt: sent as `visitorToken` with a web join. */
  token: z.string(),
  expiresAt: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type VisitorToken = z.infer<typeof VisitorToken>;

/** Which ways of sending a code this central has (no SMS channel configured: the site does not offer SMS). */
export const VisitorCodeChannels = z.object({ sms: z.boolean(), email: z.boolean() });
export type VisitorCodeChannels = z.infer<typeof VisitorCodeChannels>;

/** A confirmed visitor asks for the remote tickets of its phone (the visitor site's "my tickets"). */
export const MyTicketsBody = z.strictObject({ visitorToken: z.string().min(16).max(200) });
export const MyTicket = z.object({
  ticketId: z.string(), branchId: z.string(), branchName: z.string(), serviceName: z.string().nullable(), displayNumber: z.string(),
  /** As central last heard from the branch (null: not replicated yet). */
  status: z.string().nullable(),
  trackPath: z.string(), issuedAt: z.string(),
});
export type MyTicket = z.infer<typeof MyTicket>;

/**
 * A confirmed phone's booking that is still to come (or today's, while it can still be checked in): the visitor site's
 * "my bookings". Cancel and move go through the public booking routes, with the same visitor token.
 */
export const MyBooking = z.object({
  code: z.string(), displayCode: z.string(),
  /** booked: not cancelled, not checked in, not missed. */
  status: z.literal('booked'),
  branchId: z.string(), branchName: z.string(), serviceId: z.string(), serviceName: z.string(),
  startsAt: z.string(), endsAt: z.string(),
  /** The branch's time zone; localDate / localTime are the start there. */
  timeZone: z.string(), localDate: z.string(), localTime: z.string(),
  /** The start as a visitor reads it, in the asked language and the branch's time zone ("mer. 23 déc. à 10h00"). */
  when: z.string(),
  /** Until the slot starts it can be cancelled or moved; after that only checked in (until checkInClosesAt). */
  changeable: z.boolean(), checkInClosesAt: z.string(),
  /** The site's page of the booking (code, QR code, cancel, move). */
  pagePath: z.string(),
  qrPath: z.string(),
  /** POST with { visitorToken } / { startsAt, visitorToken }. */
  cancelPath: z.string(), movePath: z.string(),
});
export type MyBooking = z.infer<typeof MyBooking>;

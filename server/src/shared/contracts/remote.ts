// Remote tickets (issue 18): a visitor joins a branch's line from anywhere (web, SMS, USSD) through central;
// central forwards the join to the branch over its live link, the branch issues a real ticket and the answer comes
// back through central. Central never promises a ticket the branch has not issued.
import { z } from 'zod';
import { Language, RemoteChannel, SenegalPhone } from './domain.js';
import { TicketView } from './api.js';

export const RemoteJoinBody = z.strictObject({
  branchId: z.string().min(1).max(64),
  serviceId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(80),
  phone: SenegalPhone,
  channel: RemoteChannel,
  language: Language.default('fr'),
  idempotencyKey: z.string().min(8).max(100)
    .describe('One per visitor attempt: a retried join (double tap, lost answer, SMS sent twice) with the same key gives the same ticket, never two.'),
});
export type RemoteJoinBody = z.input<typeof RemoteJoinBody>;

/**
 * A join from the public API (the visitor web site): channel `web` only, with the token of a one-time code sent to
 * the join's phone (POST /api/public/visitor-codes). SMS and USSD joins are made inside central by the phone desk.
 */
export const PublicRemoteJoinBody = RemoteJoinBody.extend({
  channel: z.literal('web').default('web').describe('Only web: SMS and USSD joins come through the providers\' callbacks.'),
  visitorToken: z.string().min(16).max(200).describe('From POST /api/public/visitor-codes/{codeId}/verify, for this phone number.'),
});
export type PublicRemoteJoinBody = z.input<typeof PublicRemoteJoinBody>;

/** A remote ticket as the visitor sees it. */
export const RemoteTicketView = z.object({
  joinId: z.string(),
  branchId: z.string(),
  serviceId: z.string(),
  channel: RemoteChannel,
  ticketId: z.string(),
  number: z.string(),
  /** A-003, as people read it. */
  displayNumber: z.string(),
  position: z.number().int().nullable(),
  estimatedWaitMinutes: z.number().int().nullable(),
  /** The tracking page of the ticket. */
  trackPath: z.string(),
  issuedAt: z.string(),
});
export type RemoteTicketView = z.infer<typeof RemoteTicketView>;

/** A join central holds for a branch, as the branch takes it. */
export const RemoteJoinForBranch = z.object({
  id: z.string(),
  serviceId: z.string(),
  name: z.string(),
  phone: z.string(),
  channel: RemoteChannel,
  language: Language,
  createdAt: z.string(),
});
export type RemoteJoinForBranch = z.infer<typeof RemoteJoinForBranch>;
/** A visitor's cancel of a remote ticket the branch issued (SMS ANNULER, USSD): the branch cancels it and answers. */
export const RemoteCancelForBranch = z.object({ joinId: z.string(), ticketId: z.string() });
export type RemoteCancelForBranch = z.infer<typeof RemoteCancelForBranch>;
export const RemoteTakeResponse = z.object({
  joins: z.array(RemoteJoinForBranch),
  // Absent from a central that predates cancels.
  cancels: z.array(RemoteCancelForBranch).default([]),
});
export type RemoteTakeResponse = z.infer<typeof RemoteTakeResponse>;

/** The branch's answer to one join: the ticket it issued, or why it did not. */
export const RemoteAnswerBody = z.discriminatedUnion('outcome', [
  z.strictObject({
    joinId: z.string().min(1).max(64),
    outcome: z.literal('issued'),
    ticket: z.strictObject({
      id: z.string().min(1).max(64), number: z.string().min(1).max(16), issuedAt: z.string().max(40),
      position: z.number().int().nullable(), estimatedWaitMinutes: z.number().int().nullable(),
    }),
  }),
  z.strictObject({
    joinId: z.string().min(1).max(64),
    outcome: z.literal('refused'),
    code: z.string().min(1).max(40),
    message: z.string().max(300),
  }),
  /** The visitor's cancel: done (the ticket is cancelled, or was already), or refused (called, served…). */
  z.strictObject({ joinId: z.string().min(1).max(64), outcome: z.literal('cancelled') }),
  z.strictObject({
    joinId: z.string().min(1).max(64),
    outcome: z.literal('cancel_refused'),
    code: z.string().min(1).max(40),
    message: z.string().max(300),
  }),
]);
export type RemoteAnswerBody = z.infer<typeof RemoteAnswerBody>;

/**
 * A branch's rules for remote tickets. `sharePercent`: remote tickets may be at most this share of the tickets
 * issued in the last hour (never fewer than `minPerHour`), so walk-ins are not crowded out. `absent`: what call-next
 * does with a remote ticket whose visitor has not checked in: `skip` passes over it (it keeps its place for
 * `graceMinutes`), `call` calls it like the others.
 */
export const RemoteSettings = z.object({
  sharePercent: z.number().int().min(0).max(100),
  minPerHour: z.number().int().min(0).max(1000),
  absent: z.enum(['skip', 'call']),
  graceMinutes: z.number().int().min(0).max(240),
});
export type RemoteSettings = z.infer<typeof RemoteSettings>;
export const RemoteSettingsPatch = RemoteSettings.partial().strict();
export const DEFAULT_REMOTE_SETTINGS: RemoteSettings = { sharePercent: 50, minPerHour: 2, absent: 'call', graceMinutes: 15 };

/** A remote visitor's check-in at the branch (POST /api/tickets/:id/arrive): the ticket, and whether it was already checked in. */
export const ArrivalResult = z.object({ ticket: TicketView, alreadyArrived: z.boolean() });
export type ArrivalResult = z.infer<typeof ArrivalResult>;

// --- phones: SMS and USSD (issue 18) ---

/**
 * A mobile-originated SMS as the Orange SMS API delivers it (GSMA OneAPI inbound notification). Only the fields
 * central reads are checked; others are let through.
 */
export const OneApiInboundSmsNotification = z.object({
  inboundSMSMessageNotification: z.object({
    callbackData: z.string().max(500).optional(),
    inboundSMSMessage: z.object({
      senderAddress: z.string().min(1).max(40).describe('tel:+221XXXXXXXXX'),
      destinationAddress: z.string().max(40).optional(),
      message: z.string().max(1600),
      messageId: z.string().min(1).max(100).describe('The provider\'s id: a second delivery of the same message is answered once.'),
      dateTime: z.string().max(40).optional(),
    }),
  }),
});
export type OneApiInboundSmsNotification = z.infer<typeof OneApiInboundSmsNotification>;
export const InboundSmsAnswer = z.object({ messageId: z.string(), duplicate: z.boolean() });

/** The shared secret of a provider's callback, in the URL central gave the provider (`?key=…`). */
/** No length limit: any wrong key, however long, is a 401 from the key check (it is hashed), never a 400 before it. */
export const CallbackKeyQuery = z.object({ key: z.string().optional() });

/** A USSD aggregator's session callback (form-encoded): `text` holds the choices so far, joined by "*". */
export const UssdSessionBody = z.object({
  sessionId: z.string().min(1).max(100),
  serviceCode: z.string().max(40).default(''),
  phoneNumber: z.string().min(1).max(40),
  text: z.string().max(500).default(''),
});
export type UssdSessionBody = z.infer<typeof UssdSessionBody>;

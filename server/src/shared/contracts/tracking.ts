// Following a ticket from a phone: the view central serves at /api/track/:ticketId and pushes over Socket.IO
// (namespace /track), and the bodies of the tracking page's requests. The page imports nothing: these are for the
// server, tests and any other client.
import { z } from 'zod';
import { Language, LocalizedText, TicketStatus } from './domain.js';

export const TRACK_NAMESPACE = '/track';

export const TrackFreshness = z.object({
  /** Central knows the branch as it was at this time (null: the branch never synced). */
  dataAsOf: z.string().nullable(),
  ageSeconds: z.number().nullable(),
  stale: z.boolean(),
  reason: z.enum(['never_synced', 'link_down', 'catching_up']).nullable(),
});

export const TrackView = z.object({
  ticketId: z.string(),
  /** False until the ticket's branch has pushed it to central. */
  known: z.boolean(),
  number: z.string().nullable(),
  /** The number as a person reads it ("A-003", shared/domain/numbering.ts): what the page shows. */
  displayNumber: z.string().nullable(),
  status: TicketStatus.nullable(),
  language: Language,
  serviceId: z.string().nullable(),
  serviceName: LocalizedText.nullable(),
  branch: z.object({ id: z.string(), name: z.string(), hasLocation: z.boolean() }).nullable(),
  /** 1 = next to be called; null when not waiting. As of freshness.dataAsOf. */
  position: z.number().int().nullable(),
  estimatedWaitMinutes: z.number().int().nullable(),
  /** The counter the ticket is called to, when the branch sent it. */
  counterNumber: z.number().int().nullable(),
  calledAt: z.string().nullable(),
  /** "Your turn is near" is sent at this position. */
  notifyAtPosition: z.number().int(),
  /** Taken from afar (web, SMS, USSD): the page shows the QR code the visitor scans at the kiosk on arrival. */
  remote: z.boolean(),
  freshness: TrackFreshness,
  staleAfterSeconds: z.number(),
  serverTime: z.string(),
  /** Channels a visitor can subscribe to here. */
  channels: z.object({ push: z.boolean(), email: z.boolean(), sms: z.boolean() }),
  vapidPublicKey: z.string().nullable(),
  /**
   * Set when several branches hold a ticket with this id and the request did not say which branch (?branch=): the
   * visitor picks their own (branch and number are on their paper ticket). Central never guesses.
   */
  holders: z.array(z.object({ branchId: z.string(), branchName: z.string(), number: z.string() })).optional(),
});
export type TrackView = z.infer<typeof TrackView>;

export const SubscribeBody = z.discriminatedUnion('channel', [
  z.strictObject({ channel: z.literal('push'), subscription: z.unknown(), language: Language.optional() }),
  z.strictObject({ channel: z.literal('email'), address: z.string().max(320), language: Language.optional() }),
  z.strictObject({ channel: z.literal('sms'), address: z.string().max(40), language: Language.optional() }),
]);
export type SubscribeBody = z.infer<typeof SubscribeBody>;

export const SubscribeResponse = z.object({ id: z.string(), channel: z.enum(['push', 'email', 'sms']), created: z.boolean() });

export const TravelQuery = z.object({ lat: z.coerce.number().min(-90).max(90), lon: z.coerce.number().min(-180).max(180) });
export const TravelAdvice = z.object({
  distanceKm: z.number(),
  travelMinutes: z.number().int(),
  mode: z.enum(['walk', 'road']),
  hint: z.enum(['leave_now', 'you_have_time', 'unknown']),
  leaveInMinutes: z.number().int().nullable(),
  estimatedWaitMinutes: z.number().int().nullable(),
});
export type TravelAdvice = z.infer<typeof TravelAdvice>;

/** Head office: where a branch is and when each of its services sends "your turn is near". */
export const TrackingSettingsBody = z.strictObject({
  location: z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).nullable().optional(),
  services: z.array(z.strictObject({
    serviceId: z.string().min(1).max(64),
    notifyAtPosition: z.number().int().min(1).max(50).optional(),
    name: LocalizedText.optional(),
    defaultServiceMinutes: z.number().int().min(1).max(240).optional(),
  })).max(100).optional(),
});
export type TrackingSettingsBody = z.infer<typeof TrackingSettingsBody>;

export type TrackResponse<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface TrackServerToClient {
  'track:update': (view: TrackView) => void;
}
export interface TrackClientToServer {
  'track:join': (req: { ticketId: string; branchId?: string | null }, ack: (res: TrackResponse<TrackView>) => void) => void;
}

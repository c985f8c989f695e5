// The kiosk's calls to the branch server. Issuance and printing are two calls on purpose: the ticket exists (and is
// shown) before the printer is even asked, so a jammed printer never costs a visitor their place.
import type { IssueTicketBody, ServiceView, TicketView } from '../../server/src/shared/contracts/api.js';
import type { KioskConfig, PrintResult } from '../../server/src/shared/contracts/print.js';
import type { PaymentView } from '../../server/src/shared/contracts/payments.js';
import { apiFetch, ApiError } from '../../ui-shared/api.js';

/** The request may have reached the server and only its answer been lost (Wi-Fi glitch, proxy, restart). */
export function answerLost(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'NETWORK' || err.status === 502 || err.status === 503 || err.status === 504);
}

const ISSUE_RETRY_DELAYS_MS = [500, 1500, 3000];

/**
 * Issue a ticket with the visitor's attempt id (commandId): when the answer is lost the same request is sent again
 * with the same id, and the server answers with the ticket it already issued instead of issuing a second one.
 */
export async function issueTicket(token: string, body: IssueTicketBody & { commandId: string }): Promise<TicketView> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await apiFetch<TicketView>('/api/tickets', { token, body });
    } catch (err) {
      const delay = ISSUE_RETRY_DELAYS_MS[attempt];
      if (!answerLost(err) || delay === undefined) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The server bounds a print by the printer timeout (twice, when jobs queue up): wait a bit longer than that. */
export function printTicket(token: string, ticketId: string): Promise<PrintResult> {
  return apiFetch<PrintResult>(`/api/tickets/${encodeURIComponent(ticketId)}/print`, { token, method: 'POST', timeoutMs: 30_000 });
}

export type KioskProvider = 'wave' | 'orange_money';

/** Opens a phone payment for the ticket's fee (head office talks to the provider; allow it the provider's time). */
export function startCheckout(token: string, ticketId: string, body: { provider: KioskProvider; commandId: string }): Promise<PaymentView> {
  return apiFetch<PaymentView>(`/api/tickets/${encodeURIComponent(ticketId)}/checkout`, { token, body, timeoutMs: 30_000 });
}

export function getPayment(token: string, paymentId: string): Promise<PaymentView> {
  return apiFetch<PaymentView>(`/api/payments/${encodeURIComponent(paymentId)}`, { token });
}

export function printReceipt(token: string, paymentId: string): Promise<PrintResult> {
  return apiFetch<PrintResult>(`/api/payments/${encodeURIComponent(paymentId)}/receipt/print`, { token, method: 'POST', timeoutMs: 30_000 });
}

export function kioskConfig(token: string): Promise<KioskConfig> {
  return apiFetch<KioskConfig>('/api/kiosk/config', { token });
}

export function listServices(): Promise<ServiceView[]> {
  return apiFetch<ServiceView[]>('/api/services');
}

export async function serverReachable(): Promise<boolean> {
  try {
    await apiFetch('/api/health', { timeoutMs: 4000 });
    return true;
  } catch {
    return false;
  }
}

/** What check-in answers (the appointments module's CheckInResult, read loosely so the kiosk survives its changes). */
export interface CheckInAnswer {
  ticket: TicketView;
  alreadyCheckedIn: boolean;
  /** A remote ticket's arrival (its QR code scanned), not a booking's check-in. */
  remote?: boolean;
}

export type CheckInOutcome =
  | { kind: 'ticket'; answer: CheckInAnswer }
  | { kind: 'unavailable' }
  | { kind: 'error'; error: ApiError };

/**
 * The ticket id in a scanned tracking link: a remote ticket's QR code (central's `…/t/<id>`, shown on the visitor's
 * phone) or a paper ticket's (`…/api/tickets/<id>` on a standalone branch). Null for anything else (a booking code).
 */
export function ticketIdOfScan(text: string): string | null {
  const m = /\/(?:t|api\/tickets)\/([A-Za-z0-9_-]{8,64})\/?(?:[?#].*)?$/.exec(text.trim());
  return m ? (m[1] as string) : null;
}

/** A remote visitor is here: their ticket's QR code read at the kiosk checks the ticket in. */
async function arrive(token: string, ticketId: string): Promise<CheckInOutcome> {
  try {
    const res = await apiFetch<{ ticket: TicketView; alreadyArrived: boolean }>(`/api/tickets/${encodeURIComponent(ticketId)}/arrive`, { token, body: {} });
    return { kind: 'ticket', answer: { ticket: res.ticket, alreadyCheckedIn: res.alreadyArrived, remote: true } };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { kind: 'error', error: err };
  }
}

export async function checkIn(token: string, code: string): Promise<CheckInOutcome> {
  const ticketId = ticketIdOfScan(code);
  if (ticketId) return arrive(token, ticketId);
  try {
    const res = await apiFetch<{ ticket?: TicketView; alreadyCheckedIn?: boolean } | TicketView>('/api/appointments/check-in', { token, body: { code } });
    const ticket = 'ticket' in res && res.ticket ? res.ticket : (res as TicketView);
    if (!ticket || typeof ticket.id !== 'string') return { kind: 'unavailable' };
    return { kind: 'ticket', answer: { ticket, alreadyCheckedIn: 'alreadyCheckedIn' in res && res.alreadyCheckedIn === true } };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // No such route yet (or explicitly not implemented): appointments are not set up at this branch.
    if (err.status === 501 || (err.status === 404 && err.code === 'NOT_FOUND' && /^no route /.test(err.message))) return { kind: 'unavailable' };
    return { kind: 'error', error: err };
  }
}

// The branch asks central to open a checkout with a Mobile Money provider (only central holds the provider keys and
// receives its webhooks). Bounded by a timeout; errors keep central's code so the kiosk can say what happened.
import { CheckoutResponse, type CheckoutRequest } from '../../shared/contracts/payments.js';
import { PaymentFailure } from './payment-failure.js';

export interface CheckoutClient {
  createCheckout(req: CheckoutRequest): Promise<CheckoutResponse>;
}

export class CentralCheckoutClient implements CheckoutClient {
  private readonly baseUrl: string;

  constructor(private readonly options: { centralUrl: string; credential: string; timeoutMs?: number }) {
    this.baseUrl = options.centralUrl.replace(/\/+$/, '');
  }

  async createCheckout(req: CheckoutRequest): Promise<CheckoutResponse> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/sync/payments/checkouts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.credential}`, 'content-type': 'application/json' },
        body: JSON.stringify(req),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
      });
    } catch (err) {
      const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new PaymentFailure(503, timeout ? 'CENTRAL_TIMEOUT' : 'CENTRAL_UNREACHABLE',
        timeout ? 'head office did not answer in time: try again' : 'head office cannot be reached: pay at the counter', true);
    }
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.ok) {
      const parsed = CheckoutResponse.safeParse(body);
      if (parsed.success) return parsed.data;
      throw new PaymentFailure(502, 'CENTRAL_PROTOCOL', 'head office answered something this branch cannot read', true);
    }
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' ? error.code : `HTTP_${res.status}`;
    const message = typeof error?.message === 'string' ? error.message : `head office answered ${res.status}`;
    // 5xx and 429 may pass; a 4xx (declined, not configured, invalid) will not, whatever the retry.
    const retryable = res.status >= 500 || res.status === 429;
    throw new PaymentFailure(res.status >= 500 ? 503 : res.status, code, message, retryable, error?.details);
  }
}

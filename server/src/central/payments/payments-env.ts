// Central's payment settings from the environment (central/main.ts): the providers' keys, the public URL, and the
// demo mode that runs the three provider simulators on this machine instead of the real providers.
//   WAVE_* / ORANGE_MONEY_* / FREE_MONEY_* / PAYMENTS_*   the providers (docs/payments.md, "Central API and settings")
//   SMARTQUEUE_CENTRAL_PUBLIC_URL                         how providers and payers' phones reach central
//   SMARTQUEUE_PAYMENTS_RECONCILE_MS                      how often pending checkouts are checked (default 30000)
//   SMARTQUEUE_PAYMENTS_DEMO=1                            start the simulators (no real money), with
//   SMARTQUEUE_PAYMENTS_DEMO_SETTLE_MS                    their payments settling by themselves after this (default 8000, 0: never)
import { createProvidersFromEnv, type Env } from './providers/index.js';
import { startDemoSimulators, type DemoSimulators } from '../../simulators/payments/index.js';
import type { CentralPayments, CentralPaymentsOptions } from './central-payments.js';

export interface CentralPaymentsSetup {
  options: CentralPaymentsOptions;
  demo: DemoSimulators | null;
  /** Once central listens: point the simulators' registered webhooks at it (demo). */
  connect(payments: CentralPayments): void;
  /** Lines for the start banner. */
  describe(payments: CentralPayments): string[];
  close(): Promise<void>;
}

function nonNegativeInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number of milliseconds, got "${raw}"`);
  return Number(raw);
}

export async function centralPaymentsFromEnv(env: Env = process.env): Promise<CentralPaymentsSetup> {
  const demoOn = env.SMARTQUEUE_PAYMENTS_DEMO === '1' || env.SMARTQUEUE_PAYMENTS_DEMO === 'true';
  let demo: DemoSimulators | null = null;
  if (demoOn) {
    const settle = nonNegativeInt(env, 'SMARTQUEUE_PAYMENTS_DEMO_SETTLE_MS', 8000);
    demo = await startDemoSimulators({ autoSettleMs: settle === 0 ? null : settle });
  }
  const providers = createProvidersFromEnv(demo ? { ...env, ...demo.env } : env);
  const options: CentralPaymentsOptions = {
    providers,
    publicUrl: env.SMARTQUEUE_CENTRAL_PUBLIC_URL?.trim() || undefined,
    reconcileEveryMs: nonNegativeInt(env, 'SMARTQUEUE_PAYMENTS_RECONCILE_MS', demo ? 5000 : 30_000),
    ...(demo ? { pollIntervalMs: 3000 } : {}),
  };
  return {
    options,
    demo,
    connect(payments) {
      demo?.wave.setWebhookUrl(payments.webhookUrl('wave'));
      demo?.orangeMoney.setWebhookUrl(payments.webhookUrl('orange_money'));
    },
    describe(payments) {
      const names = Object.keys(providers);
      if (demo) {
        return [
          'Payments: DEMO simulators (no real money)',
          `  Wave ${demo.wave.url}   Orange Money ${demo.orangeMoney.url}   Free Money ${demo.freeMoney.url}`,
          `  webhooks → ${payments.webhookUrl('wave').replace(/wave$/, ':provider')}`,
        ];
      }
      return [names.length ? `Payments: ${names.join(', ')} (webhooks → ${payments.webhookUrl('wave').replace(/wave$/, ':provider')})` : 'Payments: no Mobile Money provider configured (counter payments still work at branches)'];
    },
    async close() {
      await demo?.close();
    },
  };
}

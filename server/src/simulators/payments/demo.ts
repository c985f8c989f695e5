// Starts the three simulators with throw-away credentials for the demo mode, and gives the environment
// that makes createProvidersFromEnv talk to them.
import { randomBytes } from 'node:crypto';
import type { Env } from '../../central/payments/providers/factory.js';
import { FreeMoneySimulator } from './free-money-simulator.js';
import { OrangeMoneySimulator } from './orange-money-simulator.js';
import { WaveSimulator } from './wave-simulator.js';

export interface DemoSimulators {
  wave: WaveSimulator;
  orangeMoney: OrangeMoneySimulator;
  freeMoney: FreeMoneySimulator;
  /** Variables for createProvidersFromEnv (merge over process.env). */
  env: Env;
  close(): Promise<void>;
}

/**
 * @param webhookUrls where Wave and Orange Money post (their registered URLs); Free Money uses each payment's callbackUrl.
 * @param autoSettleMs settle each payment by itself after this delay, as its phone scenario says; default 8 s, null turns it off.
 */
export async function startDemoSimulators(options: { webhookUrls?: { wave?: string; orangeMoney?: string }; autoSettleMs?: number | null } = {}): Promise<DemoSimulators> {
  const secret = () => randomBytes(16).toString('hex');
  const autoSettleMs = options.autoSettleMs === null ? undefined : options.autoSettleMs ?? 8_000;
  const waveCfg = { apiKey: `wave_sn_demo_${secret()}`, webhookSecret: secret() };
  const omCfg = { clientId: secret(), clientSecret: secret(), merchantCode: '123456', callbackKey: secret() };
  const fmCfg = { apiKey: secret(), webhookSecret: secret() };
  const wave = new WaveSimulator({ ...waveCfg, webhookUrl: options.webhookUrls?.wave, autoSettleMs });
  const orangeMoney = new OrangeMoneySimulator({ ...omCfg, webhookUrl: options.webhookUrls?.orangeMoney, autoSettleMs });
  const freeMoney = new FreeMoneySimulator({ ...fmCfg, autoSettleMs });
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    for (const sim of [wave, orangeMoney, freeMoney]) {
      await sim.start();
      started.push(sim);
    }
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw error;
  }
  return {
    wave,
    orangeMoney,
    freeMoney,
    env: {
      WAVE_API_URL: wave.url, WAVE_API_KEY: waveCfg.apiKey, WAVE_WEBHOOK_SECRET: waveCfg.webhookSecret,
      ORANGE_MONEY_API_URL: orangeMoney.url, ORANGE_MONEY_CLIENT_ID: omCfg.clientId, ORANGE_MONEY_CLIENT_SECRET: omCfg.clientSecret,
      ORANGE_MONEY_MERCHANT_CODE: omCfg.merchantCode, ORANGE_MONEY_CALLBACK_KEY: omCfg.callbackKey,
      FREE_MONEY_API_URL: freeMoney.url, FREE_MONEY_API_KEY: fmCfg.apiKey, FREE_MONEY_WEBHOOK_SECRET: fmCfg.webhookSecret,
    },
    close: async () => { await Promise.allSettled([wave.close(), orangeMoney.close(), freeMoney.close()]); },
  };
}

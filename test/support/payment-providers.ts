// The three Mobile Money simulators as real HTTP servers, and the adapters as production builds them pointed at
// them (a short timeout keeps stalls quick): what the payment tests start central with.
import { FreeMoneyProvider, OrangeMoneyProvider, WaveProvider } from '../../server/src/central/payments/providers/index.js';
import { FreeMoneySimulator, OrangeMoneySimulator, WaveSimulator } from '../../server/src/simulators/payments/index.js';

export const WAVE = { apiKey: 'wave_sn_test_key', webhookSecret: 'wave-webhook-secret' };
export const ORANGE = { clientId: 'om-client', clientSecret: 'om-secret', merchantCode: '123456', callbackKey: 'om-callback-key' };
export const FREE = { apiKey: 'fm-api-key', webhookSecret: 'fm-webhook-secret' };

export interface PaymentProviders {
  wave: WaveSimulator;
  orange: OrangeMoneySimulator;
  free: FreeMoneySimulator;
  providers: { wave: WaveProvider; orange_money: OrangeMoneyProvider; free_money: FreeMoneyProvider };
  close(): Promise<void>;
}

export async function startPaymentProviders(): Promise<PaymentProviders> {
  const wave = new WaveSimulator(WAVE);
  const orange = new OrangeMoneySimulator(ORANGE);
  const free = new FreeMoneySimulator(FREE);
  for (const sim of [wave, orange, free]) await sim.start();
  return {
    wave, orange, free,
    providers: {
      wave: new WaveProvider({ ...WAVE, apiUrl: wave.url, timeoutMs: 1000 }),
      orange_money: new OrangeMoneyProvider({ ...ORANGE, apiUrl: orange.url, timeoutMs: 1000 }),
      free_money: new FreeMoneyProvider({ ...FREE, apiUrl: free.url, timeoutMs: 1000 }),
    },
    async close() { for (const sim of [wave, orange, free]) await sim.close(); },
  };
}

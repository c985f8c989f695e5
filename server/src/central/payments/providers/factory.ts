// Builds adapters from configuration. Secrets come only from the environment (or options), never from the repo.
import { ProviderConfigError } from './errors.js';
import { FreeMoneyProvider, type FreeMoneyConfig } from './free-money.js';
import { OrangeMoneyProvider, type OrangeMoneyConfig } from './orange-money.js';
import { PROVIDER_NAMES, type Clock, type MobileMoneyProvider, type ProviderName } from './types.js';
import { WaveProvider, type WaveConfig } from './wave.js';

export interface ProviderConfigs {
  wave: WaveConfig;
  orange_money: OrangeMoneyConfig;
  free_money: FreeMoneyConfig;
}

export function createProvider<N extends ProviderName>(name: N, config: ProviderConfigs[N]): MobileMoneyProvider {
  switch (name) {
    case 'wave': return new WaveProvider(config as WaveConfig);
    case 'orange_money': return new OrangeMoneyProvider(config as OrangeMoneyConfig);
    case 'free_money': return new FreeMoneyProvider(config as FreeMoneyConfig);
    default: throw new ProviderConfigError(`unknown provider ${String(name)}`);
  }
}

/** Variables read by createProvidersFromEnv; a provider is on when its required ones are all set. */
export const PROVIDER_ENV = {
  wave: { required: ['WAVE_API_KEY', 'WAVE_WEBHOOK_SECRET'], optional: ['WAVE_API_URL'] },
  orange_money: {
    required: ['ORANGE_MONEY_CLIENT_ID', 'ORANGE_MONEY_CLIENT_SECRET', 'ORANGE_MONEY_MERCHANT_CODE', 'ORANGE_MONEY_CALLBACK_KEY'],
    optional: ['ORANGE_MONEY_API_URL', 'ORANGE_MONEY_MERCHANT_NAME', 'ORANGE_MONEY_CALLBACK_KEY_HEADER', 'ORANGE_MONEY_QR_VALIDITY_SEC'],
  },
  free_money: { required: ['FREE_MONEY_API_URL', 'FREE_MONEY_API_KEY', 'FREE_MONEY_WEBHOOK_SECRET'], optional: [] },
} as const satisfies Record<ProviderName, { required: readonly string[]; optional: readonly string[] }>;

export const SHARED_PAYMENT_ENV = ['PAYMENTS_HTTP_TIMEOUT_MS', 'PAYMENTS_WEBHOOK_TOLERANCE_SEC'] as const;

export type Env = Record<string, string | undefined>;

/**
 * The providers whose variables are set. A provider with only some of its required variables set is a
 * configuration mistake and throws ProviderConfigError naming the missing ones (never their values).
 */
export function createProvidersFromEnv(env: Env = process.env, options: { clock?: Clock } = {}): Partial<Record<ProviderName, MobileMoneyProvider>> {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const timeoutMs = positiveInt(get, 'PAYMENTS_HTTP_TIMEOUT_MS');
  const webhookToleranceSec = positiveInt(get, 'PAYMENTS_WEBHOOK_TOLERANCE_SEC');
  const common = { ...(timeoutMs ? { timeoutMs } : {}), ...(webhookToleranceSec ? { webhookToleranceSec } : {}), ...(options.clock ? { clock: options.clock } : {}) };

  const providers: Partial<Record<ProviderName, MobileMoneyProvider>> = {};
  for (const name of PROVIDER_NAMES) {
    const required = PROVIDER_ENV[name].required;
    const missing = required.filter((variable) => get(variable) === undefined);
    if (missing.length === required.length) continue;
    if (missing.length > 0) throw new ProviderConfigError(`${name} is partly configured: set ${missing.join(', ')}`);
    const must = (variable: string): string => get(variable) as string;
    switch (name) {
      case 'wave':
        providers.wave = new WaveProvider({ ...common, apiUrl: get('WAVE_API_URL'), apiKey: must('WAVE_API_KEY'), webhookSecret: must('WAVE_WEBHOOK_SECRET') });
        break;
      case 'orange_money':
        providers.orange_money = new OrangeMoneyProvider({
          ...common,
          apiUrl: get('ORANGE_MONEY_API_URL'),
          clientId: must('ORANGE_MONEY_CLIENT_ID'),
          clientSecret: must('ORANGE_MONEY_CLIENT_SECRET'),
          merchantCode: must('ORANGE_MONEY_MERCHANT_CODE'),
          merchantName: get('ORANGE_MONEY_MERCHANT_NAME'),
          callbackKey: must('ORANGE_MONEY_CALLBACK_KEY'),
          callbackKeyHeader: get('ORANGE_MONEY_CALLBACK_KEY_HEADER'),
          qrValiditySec: positiveInt(get, 'ORANGE_MONEY_QR_VALIDITY_SEC'),
        });
        break;
      case 'free_money':
        providers.free_money = new FreeMoneyProvider({ ...common, apiUrl: must('FREE_MONEY_API_URL'), apiKey: must('FREE_MONEY_API_KEY'), webhookSecret: must('FREE_MONEY_WEBHOOK_SECRET') });
        break;
    }
  }
  return providers;
}

function positiveInt(get: (name: string) => string | undefined, variable: string): number | undefined {
  const value = get(variable);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new ProviderConfigError(`${variable} must be a positive whole number`);
  return Number(value);
}

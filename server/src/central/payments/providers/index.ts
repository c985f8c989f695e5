// Mobile Money provider layer: one interface, three adapters, typed errors, and the factory.
export * from './types.js';
export * from './errors.js';
export { assertMatches, assertAmountXof, type ExpectedPayment } from './common.js';
export { WaveProvider, WAVE_DEFAULT_API_URL, waveSessionStatus, signWaveWebhook, type WaveConfig } from './wave.js';
export {
  OrangeMoneyProvider, ORANGE_MONEY_DEFAULT_API_URL, ORANGE_MONEY_SANDBOX_API_URL, orangeMoneyStatus, type OrangeMoneyConfig,
} from './orange-money.js';
export { FreeMoneyProvider, freeMoneyStatus, signFreeMoneyPayload, type FreeMoneyConfig } from './free-money.js';
export { createProvider, createProvidersFromEnv, PROVIDER_ENV, SHARED_PAYMENT_ENV, type ProviderConfigs, type Env } from './factory.js';

// The providers' names, payment statuses and currency: shared by the branch, central, the provider adapters and the
// screens (contracts/payments.ts re-exports them).
import { z } from 'zod';

export const PROVIDER_NAMES = ['wave', 'orange_money', 'free_money'] as const;
export const ProviderName = z.enum(PROVIDER_NAMES);
export type ProviderName = z.infer<typeof ProviderName>;

/** Our view of a payment at a provider, whatever the provider calls it. */
export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'expired', 'refunded'] as const;
export const PaymentStatus = z.enum(PAYMENT_STATUSES);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** Currency of every payment we take: West African CFA franc, no minor unit. */
export const CURRENCY_XOF = 'XOF';

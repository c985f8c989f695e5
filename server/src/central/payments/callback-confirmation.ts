// A provider callback that is not signed per message (Orange Money's static key) proves nothing by itself: a success
// it reports is applied only once the provider's own status lookup says the same (issue 14, point 1).
import type { ProviderEvent, ProviderPaymentState } from './providers/index.js';

/** Why the lookup contradicts the callback, or null when it confirms it. */
export function callbackContradiction(event: ProviderEvent, state: ProviderPaymentState): string | null {
  if (state.status !== event.status) return `the provider's status lookup says ${state.status}, the callback ${event.status}`;
  if (state.amountXof !== null && state.amountXof !== event.amountXof) return `the provider's status lookup says ${state.amountXof} XOF, the callback ${event.amountXof}`;
  if (state.currency !== null && state.currency !== event.currency) return `the provider's status lookup says ${state.currency}, the callback ${event.currency}`;
  return null;
}

/** Whether a callback must be confirmed by a lookup before it is applied. */
export function needsConfirmation(event: ProviderEvent, provider: { signedCallbacks: boolean }): boolean {
  return !provider.signedCallbacks && event.status === 'succeeded';
}

// Kiosks and call boards are provisioned devices: they keep their device token in localStorage.
import type { DeviceRole } from '../server/src/shared/contracts/domain.js';
import type { DeviceView, PairResponse } from '../server/src/shared/contracts/api.js';
import { apiFetch, ApiError } from './api.js';

const key = (role: DeviceRole) => `smartqueue.deviceToken.${role}`;

export function storedDeviceToken(role: DeviceRole): string | null {
  return localStorage.getItem(key(role));
}

export function forgetDeviceToken(role: DeviceRole): void {
  localStorage.removeItem(key(role));
}

/** Trade an admin's 6-digit pairing code for a device token. */
export async function pairWithCode(role: DeviceRole, code: string): Promise<string> {
  const res = await apiFetch<PairResponse>('/api/devices/pair', { body: { code } });
  if (res.device.role !== role) throw new ApiError(400, 'WRONG_ROLE', `this code pairs a ${res.device.role}, not a ${role}`);
  localStorage.setItem(key(role), res.deviceToken);
  return res.deviceToken;
}

/**
 * A pairing code in the screen's own address (?pair=123456, from the QR code the admin screen shows), taken out of
 * the address so that a reload does not try it again.
 */
function pairingCodeInAddress(): string | null {
  const url = new URL(location.href);
  const code = url.searchParams.get('pair');
  if (code === null) return null;
  url.searchParams.delete('pair');
  history.replaceState(null, '', url.toString());
  return /^\d{6}$/.test(code) ? code : null;
}

/**
 * The stored token if it still works; else the code of the QR the device was opened from; else, in demo mode on the server's own machine, pair automatically.
 * Returns null when an admin's pairing code is needed.
 */
export async function ensureDeviceToken(role: DeviceRole): Promise<string | null> {
  const stored = storedDeviceToken(role);
  if (stored) {
    try {
      const me = await apiFetch<DeviceView>('/api/devices/me', { token: stored });
      // A token of another kind of device (a call board's on a kiosk) is no use here: pair again.
      if (me.role === role) return stored;
      forgetDeviceToken(role);
    } catch (err) {
      if (!(err instanceof ApiError) || (err.status !== 401 && err.status !== 403)) throw err; // server down: keep the token
      forgetDeviceToken(role);
    }
  }
  const scanned = pairingCodeInAddress();
  if (scanned) {
    try {
      return await pairWithCode(role, scanned);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 0) throw err; // server down: retried like any start
      // A wrong or expired code: the pairing screen asks for one.
    }
  }
  try {
    const res = await apiFetch<PairResponse>('/api/devices/pair-local', { body: { role } });
    localStorage.setItem(key(role), res.deviceToken);
    return res.deviceToken;
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return null;
    throw err;
  }
}

// How a provisioned screen (kiosk, call board) starts: a device token (stored, paired on the loopback in demo mode, or
// with an admin's 6-digit code), then the screen. A revoked token goes back to pairing; an unreachable server is
// retried every few seconds until it answers. The kiosk and the call board only draw the phases differently.
import { useCallback, useEffect, useState } from 'react';
import type { DeviceRole } from '../server/src/shared/contracts/domain.js';
import { ensureDeviceToken, forgetDeviceToken } from './device.js';

export type DevicePhase = { kind: 'starting' } | { kind: 'offline' } | { kind: 'pairing' } | { kind: 'ready'; token: string };

export const DEVICE_RETRY_MS = 3000;

export interface DeviceStartup {
  phase: DevicePhase;
  /** The admin's code was accepted: show the screen with this token. */
  onPaired: (token: string) => void;
  /** The server refused the token (revoked): forget it and pair again. */
  onUnauthorized: () => void;
}

export function useDeviceStartup(role: DeviceRole): DeviceStartup {
  const [phase, setPhase] = useState<DevicePhase>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (phase.kind !== 'starting' && phase.kind !== 'offline') return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    ensureDeviceToken(role).then(
      (token) => { if (!cancelled) setPhase(token ? { kind: 'ready', token } : { kind: 'pairing' }); },
      () => {
        if (cancelled) return;
        setPhase({ kind: 'offline' });
        timer = setTimeout(() => setAttempt((n) => n + 1), DEVICE_RETRY_MS); // server not reachable yet
      },
    );
    return () => { cancelled = true; clearTimeout(timer); };
  }, [role, phase.kind, attempt]);

  const onPaired = useCallback((token: string) => setPhase({ kind: 'ready', token }), []);
  const onUnauthorized = useCallback(() => {
    forgetDeviceToken(role);
    setPhase({ kind: 'starting' });
  }, [role]);

  return { phase, onPaired, onUnauthorized };
}

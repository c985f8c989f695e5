// Kiosks and call boards are provisioned devices. An admin creates one and gets a 6-digit pairing code (valid
// 10 minutes); the device trades the code for a device token that never expires on its own (a TV that stops at
// night is a failed branch in the morning) and is revoked explicitly by an admin.
import { randomInt } from 'node:crypto';
import type { DeviceView, PairResponse } from '../../shared/contracts/api.js';
import type { DeviceRole } from '../../shared/contracts/domain.js';
import { DomainError } from '../../shared/domain/errors.js';
import { rateLimited, WindowLimit } from '../../shared/rate-limit.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../core/actor.js';
import { nowIso, type BranchContext } from '../core/context.js';
import { hashToken, newToken } from '../../shared/auth/tokens.js';

import { devicesPairableAt, findDevice, findDeviceByToken, insertDevice, listDevices, updateDevice, type DeviceRow } from './device.repository.js';
const PAIRING_MINUTES = 10;
/** Wrong codes tried while a code is valid before it dies (whatever their address): the admin makes a new one. */
export const PAIRING_TRIES_PER_CODE = 5;
/** Wrong codes branch-wide, in PAIRING_WINDOW_MS, before pairing pauses for PAIRING_PAUSE_MS. */
export const PAIRING_TRIES_BRANCH = 20;
const PAIRING_WINDOW_MS = 10 * 60_000;
const PAIRING_PAUSE_MS = 15 * 60_000;

function toView(d: DeviceRow): DeviceView {
  return { id: d.id, name: d.name, role: d.role as DeviceRole, pairedAt: d.paired_at, revokedAt: d.revoked_at, lastSeenAt: d.last_seen_at, printer: d.printer };
}

export class DeviceService {
  private readonly lastSeenWrites = new Map<string, number>();
  private readonly issueLog = new Map<string, number[]>();
  /** Wrong pairing attempts per pending device while its code is valid, and branch-wide. */
  private readonly wrongPerCode = new Map<string, number>();
  private readonly wrongAtBranch = new WindowLimit(PAIRING_TRIES_BRANCH, PAIRING_WINDOW_MS);
  private pairingPausedUntil = 0;
  /** Open sockets per device: "online now" on the admin screen. */
  private readonly sockets = new Map<string, number>();

  constructor(private readonly ctx: BranchContext) {}

  list(): DeviceView[] {
    const store = this.ctx.store;
    return listDevices(store).map(toView);
  }

  get(id: string): DeviceView {
    return toView(this.row(id));
  }

  private row(id: string): DeviceRow {
    const store = this.ctx.store;
    const d = findDevice(store, id);
    if (!d) throw new DomainError('NOT_FOUND', `device ${id} does not exist`);
    return d;
  }

  create(input: { name: string; role: DeviceRole; printer: string | null }): { device: DeviceView; pairingCode: string; pairingExpiresAt: string } {
    const store = this.ctx.store;
    const id = newId();
    const at = nowIso(this.ctx);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expires = new Date(this.ctx.clock.now().getTime() + PAIRING_MINUTES * 60_000).toISOString();
    insertDevice(store, {
      id, name: input.name, role: input.role, token_hash: null, pairing_code_hash: hashToken(`${id}:${code}`),
      pairing_expires_at: expires, paired_at: null, revoked_at: null, last_seen_at: null, printer: input.printer, created_at: at,
    });
    return { device: this.get(id), pairingCode: code, pairingExpiresAt: expires };
  }

  /** A new pairing code for an existing device (e.g. a replaced kiosk PC); the old token stops working. */
  repair(id: string): { device: DeviceView; pairingCode: string; pairingExpiresAt: string } {
    const store = this.ctx.store;
    this.row(id);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expires = new Date(this.ctx.clock.now().getTime() + PAIRING_MINUTES * 60_000).toISOString();
    updateDevice(store, id, { token_hash: null, pairing_code_hash: hashToken(`${id}:${code}`), pairing_expires_at: expires, revoked_at: null });
    this.ctx.events.emit('credentials.changed');
    return { device: this.get(id), pairingCode: code, pairingExpiresAt: expires };
  }

  /**
   * Trade a pairing code for a device token. A 6-digit code is guessable, so wrong codes are counted whatever the
   * address: each valid code dies after PAIRING_TRIES_PER_CODE wrong tries made while it was valid, and pairing
   * pauses branch-wide (429, a supervisor alert) after PAIRING_TRIES_BRANCH wrong codes in ten minutes.
   */
  pair(code: string): PairResponse {
    const store = this.ctx.store;
    const at = this.ctx.clock.now().getTime();
    if (at < this.pairingPausedUntil) {
      throw rateLimited('pairing is paused after too many wrong codes: an admin makes a new code once it resumes', this.pairingPausedUntil - at);
    }
    const now = nowIso(this.ctx);
    const paired = this.ctx.uow.run(() => {
      const candidates = devicesPairableAt(store, now);
      const device = candidates.find((d) => d.pairing_code_hash === hashToken(`${d.id}:${code}`));
      if (!device) return { candidates };
      const token = newToken('sqd');
      updateDevice(store, device.id, { token_hash: hashToken(token), pairing_code_hash: null, pairing_expires_at: null, paired_at: now, revoked_at: null });
      this.wrongPerCode.delete(device.id);
      return { response: { deviceToken: token, device: this.get(device.id) } };
    });
    if (paired.response) return paired.response;
    this.wrongCode(paired.candidates ?? [], at);
    throw new DomainError('UNAUTHENTICATED', 'this pairing code is unknown or expired');
  }

  private wrongCode(candidates: DeviceRow[], at: number): void {
    // A wrong code may have been aimed at any code valid now: each of them is one try closer to dying.
    const dying = candidates.filter((d) => {
      const n = (this.wrongPerCode.get(d.id) ?? 0) + 1;
      this.wrongPerCode.set(d.id, n);
      return n >= PAIRING_TRIES_PER_CODE;
    });
    if (dying.length) {
      this.ctx.uow.run((tx) => { for (const d of dying) updateDevice(tx, d.id, { pairing_code_hash: null, pairing_expires_at: null }); });
      for (const d of dying) this.wrongPerCode.delete(d.id);
      this.ctx.logger.warn({ devices: dying.map((d) => d.id) }, 'pairing codes withdrawn after too many wrong tries');
    }
    this.wrongAtBranch.add('branch', at);
    if (this.wrongAtBranch.waitMs('branch', at) > 0) {
      this.pairingPausedUntil = at + PAIRING_PAUSE_MS;
      this.ctx.events.emit('alert.wanted', {
        kind: 'security', severity: 'critical',
        message: `Appairage des bornes et écrans suspendu ${PAIRING_PAUSE_MS / 60_000} min : ${PAIRING_TRIES_BRANCH} codes erronés en ${PAIRING_WINDOW_MS / 60_000} min. Quelqu'un essaie peut-être de deviner un code.`,
        data: { reason: 'pairing_paused', wrongCodes: PAIRING_TRIES_BRANCH, pausedMinutes: PAIRING_PAUSE_MS / 60_000 },
      });
    }
  }

  /** Demo mode only: a kiosk or display opened on the server's own machine pairs itself. The caller checks loopback. */
  pairLocal(role: DeviceRole, name: string | undefined, printer: string | null): PairResponse {
    const store = this.ctx.store;
    const now = nowIso(this.ctx);
    const id = newId();
    const token = newToken('sqd');
    insertDevice(store, {
      id, name: name ?? `${role === 'kiosk' ? 'Borne' : 'Écran'} locale`, role, token_hash: hashToken(token), pairing_code_hash: null,
      pairing_expires_at: null, paired_at: now, revoked_at: null, last_seen_at: now, printer, created_at: now,
    });
    return { deviceToken: token, device: this.get(id) };
  }

  revoke(id: string): DeviceView {
    this.ctx.uow.run((tx) => {
      this.row(id);
      updateDevice(tx, id, { revoked_at: nowIso(this.ctx), token_hash: null });
      // Once committed (an admin's revocation runs inside its audit entry's transaction).
      tx.afterCommit(() => this.ctx.events.emit('credentials.changed'));
    });
    return this.get(id);
  }

  /** The gateway counts a device's sockets as they open and close. */
  socketOpened(id: string): void {
    this.sockets.set(id, (this.sockets.get(id) ?? 0) + 1);
  }

  socketClosed(id: string): void {
    const n = (this.sockets.get(id) ?? 1) - 1;
    if (n > 0) this.sockets.set(id, n);
    else this.sockets.delete(id);
  }

  isOnline(id: string): boolean {
    return (this.sockets.get(id) ?? 0) > 0;
  }

  update(id: string, patch: { name?: string; printer?: string | null }): DeviceView {
    const store = this.ctx.store;
    this.row(id);
    updateDevice(store, id, { ...(patch.name !== undefined && { name: patch.name }), ...(patch.printer !== undefined && { printer: patch.printer }) });
    return this.get(id);
  }

  authenticate(token: string): (Extract<Actor, { kind: 'device' }> & { printer: string | null; name: string }) | null {
    const store = this.ctx.store;
    const d = findDeviceByToken(store, hashToken(token));
    if (!d || d.revoked_at) return null;
    // last_seen_at tells an admin a device is alive; written at most once a minute, not on every request.
    const now = this.ctx.clock.now().getTime();
    if ((this.lastSeenWrites.get(d.id) ?? 0) < now - 60_000) {
      this.lastSeenWrites.set(d.id, now);
      updateDevice(store, d.id, { last_seen_at: new Date(now).toISOString() });
    }
    return { kind: 'device', deviceId: d.id, role: d.role as DeviceRole, printer: d.printer, name: d.name };
  }

  /** Sliding one-minute window per device: nobody on the LAN can flood the queue through a kiosk. */
  checkIssueRate(deviceId: string): void {
    const now = this.ctx.clock.now().getTime();
    const recent = (this.issueLog.get(deviceId) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= this.ctx.config.kioskRateLimitPerMinute) {
      this.issueLog.set(deviceId, recent);
      throw new DomainError('RATE_LIMITED', 'too many tickets from this kiosk: please wait a moment');
    }
    recent.push(now);
    this.issueLog.set(deviceId, recent);
  }
}

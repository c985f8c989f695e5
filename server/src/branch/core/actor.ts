import type { DeviceRole, Role } from '../../shared/contracts/domain.js';

/** Who asks for a change: a signed-in staff member, a provisioned device, or the server itself (sweepers). */
export type Actor =
  | { kind: 'staff'; userId: string; role: Role; displayName: string }
  | { kind: 'device'; deviceId: string; role: DeviceRole }
  | { kind: 'system' };

export function actorId(actor: Actor): string {
  return actor.kind === 'staff' ? `user:${actor.userId}` : actor.kind === 'device' ? `device:${actor.deviceId}` : 'system';
}

export function isSupervisor(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.kind === 'staff' && (actor.role === 'supervisor' || actor.role === 'admin'));
}

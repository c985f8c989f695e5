import type { RequestHandler } from 'express';
import { bearerToken } from '../../shared/http/bearer.js';
import type { DeviceService } from '../devices/device.service.js';
import type { UserService } from '../users/user.service.js';

export interface Authenticators { users: Pick<UserService, 'authenticate'>; devices: Pick<DeviceService, 'authenticate'> }

/** Resolves the caller from its bearer token: a staff session (sqs_…) or a device token (sqd_…). */
export function resolveActor(s: Authenticators, token: string | null) {
  if (!token) return null;
  if (token.startsWith('sqs_')) return s.users.authenticate(token);
  if (token.startsWith('sqd_')) return s.devices.authenticate(token);
  return null;
}

export const authenticate = (s: Authenticators): RequestHandler => (req, res, next) => {
  res.locals.actor = resolveActor(s, bearerToken(req));
  next();
};

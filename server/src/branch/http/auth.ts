import type { RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';
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

/** The caller of an HTTP request, from its Authorization header: express's middleware and the direct lane both use it. */
export const requestActor = (s: Authenticators) => (req: Pick<IncomingMessage, 'headers'>) => resolveActor(s, bearerToken(req));

export const authenticate = (s: Authenticators): RequestHandler => {
  const actorOf = requestActor(s);
  return (req, res, next) => {
    res.locals.actor = actorOf(req);
    next();
  };
};

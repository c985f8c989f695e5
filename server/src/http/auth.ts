import type { Request, RequestHandler } from 'express';
import type { BranchServices } from '../core/services.js';

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** Resolves the caller from its bearer token: a staff session (sqs_…) or a device token (sqd_…). */
export function resolveActor(s: BranchServices, token: string | null) {
  if (!token) return null;
  if (token.startsWith('sqs_')) return s.users.authenticate(token);
  if (token.startsWith('sqd_')) return s.devices.authenticate(token);
  return null;
}

export const authenticate = (s: BranchServices): RequestHandler => (req, res, next) => {
  res.locals.actor = resolveActor(s, bearerToken(req));
  next();
};

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || address.startsWith('127.');
}

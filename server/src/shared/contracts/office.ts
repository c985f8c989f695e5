// Head-office console (central /office/): accounts, roles and sessions. Roles: a platform admin sees and manages
// every organization; an organization admin manages its own organization's branches and users; an analyst reads.
import { z } from 'zod';

export const OFFICE_ROLES = ['platform_admin', 'org_admin', 'analyst'] as const;
export const OfficeRole = z.enum(OFFICE_ROLES);
export type OfficeRole = z.infer<typeof OfficeRole>;

export const OfficeLogin = z.string().trim().toLowerCase().regex(/^[a-z0-9._@-]{3,64}$/, 'login: 3 to 64 letters, digits, . _ @ -');
export const OfficePassword = z.string().min(10, 'at least 10 characters').max(256);

export const OfficeUserView = z.object({
  id: z.string(), login: z.string(), displayName: z.string(), role: OfficeRole, organizationId: z.string().nullable(),
  active: z.boolean(), createdAt: z.string(),
});
export type OfficeUserView = z.infer<typeof OfficeUserView>;

export const OfficeLoginBody = z.strictObject({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export const OfficeLoginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: OfficeUserView });

export const BootstrapBody = z.strictObject({ login: OfficeLogin, displayName: z.string().trim().min(1).max(100), password: OfficePassword });

export const OfficeUserCreateBody = z.strictObject({
  login: OfficeLogin, displayName: z.string().trim().min(1).max(100), password: OfficePassword, role: OfficeRole,
  /** Required except for platform admins; an organization admin may only name their own. */
  organizationId: z.string().min(1).max(64).nullable().optional(),
});
export const OfficeUserUpdateBody = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(), password: OfficePassword.optional(), role: OfficeRole.optional(),
  active: z.boolean().optional(),
});

export const AuditEntry = z.object({
  id: z.string(), at: z.string(), actorLogin: z.string(), organizationId: z.string().nullable(), action: z.string(),
  target: z.string().nullable(), details: z.unknown().nullable(),
});

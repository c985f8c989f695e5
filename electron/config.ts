// Station configuration: which roles this PC plays and how it reaches the branch server.
// Stored as JSON (station.json) in Electron's userData folder; pure Node (no electron import) so
// it is unit-tested and reused by the setup screen and the command-line flags.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import { isPinHash } from './pin.js';

export const STATION_ROLES = ['server', 'kiosk', 'agent', 'display'] as const;
export const StationRole = z.enum(STATION_ROLES);
export type StationRole = z.infer<typeof StationRole>;

export const STATION_CONFIG_VERSION = 1;
export const STATION_CONFIG_FILE = 'station.json';
export const DEFAULT_SERVER_PORT = 3000;

/** Printer of the branch server, as the server understands it: `tcp://HOST:PORT`, `os:NAME` or `simulated`. */
export const PrinterSpec = z
  .string()
  .trim()
  .regex(/^(tcp:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|os:.+|simulated)$/, 'printer: tcp://HOST:PORT, os:PRINTER_NAME or simulated');

/** Base URL of the branch server as seen from this PC; only the origin is kept (paths are per role). */
export const ServerOrigin = z
  .url({ protocol: /^https?$/, error: 'serverUrl: an http(s) URL such as http://192.168.1.10:3000' })
  .transform((url) => new URL(url).origin);

const ServerSection = z.object({
  port: z.number().int().min(1).max(65535).default(DEFAULT_SERVER_PORT),
  /** Interface to listen on; 0.0.0.0 serves the branch LAN. */
  host: z.string().min(1).default('0.0.0.0'),
  /** SQLite and other local state; default `<userData>/data`. */
  dataDir: z.string().min(1).optional(),
  printer: PrinterSpec.optional(),
  centralUrl: z.url({ protocol: /^https?$/ }).optional(),
  centralCredential: z.string().min(1).optional(),
  /** Seed the demo Dakar agency on first start (trials and training). */
  demo: z.boolean().default(false),
});

const KioskSection = z.object({
  /** scrypt hash of the admin PIN that unlocks the kiosk (see pin.ts); never the PIN itself. */
  pinHash: z.string().refine(isPinHash, 'kiosk.pinHash: not a SmartQueue scrypt PIN hash').optional(),
  /** Keep the touch screen lit during the day: a dark kiosk looks broken to visitors. */
  keepAwake: z.boolean().default(true),
});

const DisplaySection = z.object({
  /** Electron display id (stable while the monitor stays plugged in the same port). Wins over displayIndex. */
  displayId: z.number().int().optional(),
  /** Position in the OS's monitor list, 0 = first. */
  displayIndex: z.number().int().min(0).max(15).optional(),
});

export const StationConfig = z
  .object({
    version: z.literal(STATION_CONFIG_VERSION),
    /** Shown on the status screen and offered to the apps (e.g. as the device name). */
    name: z.string().trim().min(1).max(60).default(() => hostname().slice(0, 60) || 'SmartQueue'),
    roles: z
      .array(StationRole)
      .min(1, 'roles: pick at least one of server, kiosk, agent, display')
      .refine((roles) => new Set(roles).size === roles.length, 'roles: each role once'),
    /** Where kiosk, agent and display windows find the branch server; unused when this PC is the server. */
    serverUrl: ServerOrigin.optional(),
    /** Start SmartQueue when the OS session opens. */
    autoStart: z.boolean().default(true),
    server: ServerSection.prefault({}),
    kiosk: KioskSection.prefault({}),
    display: DisplaySection.prefault({}),
  })
  .superRefine((config, ctx) => {
    if (!config.roles.includes('server') && !config.serverUrl) {
      ctx.addIssue({ code: 'custom', path: ['serverUrl'], message: 'serverUrl: required when this PC is not the branch server' });
    }
    if (config.roles.includes('kiosk') && !config.kiosk.pinHash) {
      ctx.addIssue({ code: 'custom', path: ['kiosk', 'pinHash'], message: 'kiosk: an admin PIN is required, it is the only way out of kiosk mode' });
    }
  });
export type StationConfig = z.infer<typeof StationConfig>;
/** What a file or a form may contain before defaults are applied. */
export type StationConfigInput = z.input<typeof StationConfig>;

/**
 * Ordered migrations of station.json. Version 0 is the flat, unversioned layout that the issue
 * describes and that technicians write by hand (`{ "roles": [...], "serverUrl", "displayIndex",
 * "kioskPinHash", "port", "dataDir", "printer" }`, or `"role": "kiosk"`). Append new steps; never edit old ones.
 */
const MIGRATIONS: ReadonlyArray<{ to: number; up: (old: Record<string, unknown>) => Record<string, unknown> }> = [
  {
    to: 1,
    up: (old) => {
      const roles = old.roles ?? (typeof old.role === 'string' ? old.role.split(/[,+]/).map((r) => r.trim()) : undefined);
      const pick = (...keys: string[]): Record<string, unknown> =>
        Object.fromEntries(keys.filter((k) => old[k] !== undefined).map((k) => [k, old[k]]));
      return {
        version: 1,
        name: old.name,
        roles,
        serverUrl: old.serverUrl,
        autoStart: old.autoStart,
        server: { ...pick('port', 'host', 'dataDir', 'printer', 'centralUrl', 'centralCredential', 'demo'), ...asRecord(old.server) },
        kiosk: { pinHash: old.kioskPinHash ?? old.pinHash, ...asRecord(old.kiosk) },
        display: { ...pick('displayId', 'displayIndex'), ...asRecord(old.display) },
      };
    },
  },
];

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export class NewerConfigError extends Error {}

/** Brings a parsed station.json up to the current version; throws NewerConfigError for files of a newer SmartQueue. */
export function migrateStationConfig(raw: unknown): { value: Record<string, unknown>; migrated: boolean } {
  let value = asRecord(raw);
  const from = value.version === undefined ? 0 : value.version;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) return { value, migrated: false };
  if (from > STATION_CONFIG_VERSION) {
    throw new NewerConfigError(`station.json has version ${from}; this SmartQueue understands up to ${STATION_CONFIG_VERSION}: update SmartQueue`);
  }
  for (const step of MIGRATIONS) if (step.to > from) value = step.up(value);
  return { value, migrated: from < STATION_CONFIG_VERSION };
}

/** Human-readable validation messages, one per problem (shown on the setup screen and in logs). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.join('.');
    return issue.message.startsWith(`${where}:`) || where === '' ? issue.message : `${where}: ${issue.message}`;
  });
}

export type ParsedStationConfig =
  | { ok: true; config: StationConfig; migrated: boolean }
  | { ok: false; errors: string[] };

export function parseStationConfig(raw: unknown): ParsedStationConfig {
  let migrated: { value: Record<string, unknown>; migrated: boolean };
  try {
    migrated = migrateStationConfig(raw);
  } catch (error) {
    if (error instanceof NewerConfigError) return { ok: false, errors: [error.message] };
    throw error;
  }
  const result = StationConfig.safeParse(migrated.value);
  return result.success
    ? { ok: true, config: result.data, migrated: migrated.migrated }
    : { ok: false, errors: describeIssues(result.error) };
}

export type LoadedStationConfig = { kind: 'missing' } | { kind: 'invalid'; errors: string[] } | ({ kind: 'ok' } & { config: StationConfig; migrated: boolean });

export function loadStationConfig(file: string): LoadedStationConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', errors: [`${file}: not valid JSON (${(error as Error).message})`] };
  }
  const parsed = parseStationConfig(raw);
  return parsed.ok ? { kind: 'ok', config: parsed.config, migrated: parsed.migrated } : { kind: 'invalid', errors: parsed.errors };
}

/** Writes atomically (temp file + rename) and owner-only: the file holds the PIN hash and the central credential. */
export function saveStationConfig(file: string, config: StationConfig): void {
  const checked = StationConfig.parse(config);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

/**
 * The fields a setup (the first-run form or command-line flags) may set. Absent fields keep the
 * value of `base`; `kioskPinHash` is produced by the caller with hashPin (hashing is async).
 */
export interface StationSettings {
  name?: string;
  roles?: StationRole[];
  serverUrl?: string | null;
  autoStart?: boolean;
  port?: number;
  host?: string;
  dataDir?: string | null;
  printer?: string | null;
  centralUrl?: string | null;
  demo?: boolean;
  displayId?: number | null;
  displayIndex?: number | null;
  kioskPinHash?: string;
}

/** Applies settings over an existing config (or the defaults) and validates the result. `null` clears a field. */
export function applyStationSettings(base: StationConfig | null, settings: StationSettings): ParsedStationConfig {
  const current: StationConfigInput = base ?? { version: STATION_CONFIG_VERSION, roles: [] };
  const pickValue = <T>(value: T | null | undefined, previous: T | undefined): T | undefined =>
    value === null ? undefined : value === undefined ? previous : value;
  const draft: StationConfigInput = {
    ...current,
    version: STATION_CONFIG_VERSION,
    name: settings.name ?? current.name,
    roles: settings.roles ?? current.roles,
    serverUrl: pickValue(settings.serverUrl, current.serverUrl),
    autoStart: settings.autoStart ?? current.autoStart,
    server: {
      ...current.server,
      port: settings.port ?? current.server?.port,
      host: settings.host ?? current.server?.host,
      dataDir: pickValue(settings.dataDir, current.server?.dataDir),
      printer: pickValue(settings.printer, current.server?.printer),
      centralUrl: pickValue(settings.centralUrl, current.server?.centralUrl),
      demo: settings.demo ?? current.server?.demo,
    },
    kiosk: { ...current.kiosk, pinHash: settings.kioskPinHash ?? current.kiosk?.pinHash },
    display: {
      ...current.display,
      displayId: pickValue(settings.displayId, current.display?.displayId),
      displayIndex: pickValue(settings.displayIndex, current.display?.displayIndex),
    },
  };
  const result = StationConfig.safeParse(draft);
  return result.success ? { ok: true, config: result.data, migrated: false } : { ok: false, errors: describeIssues(result.error) };
}

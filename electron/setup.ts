// The first-run setup form (static/setup.html) ↔ station config. Pure: main.ts adds the printers
// and monitors of this PC and hashes the PIN.
import type { SetupForm } from './bridge.js';
import { DEFAULT_SERVER_PORT, STATION_ROLES, type StationConfig, type StationRole, type StationSettings } from './config.js';
import { isValidPin, PIN_RULE } from './pin.js';

export function setupFormFromConfig(config: StationConfig | null, hostname: string): SetupForm {
  return {
    name: config?.name ?? (hostname.slice(0, 60) || 'SmartQueue'),
    roles: config?.roles ?? [],
    serverUrl: config?.serverUrl ?? '',
    port: config?.server.port ?? DEFAULT_SERVER_PORT,
    printer: config?.server.printer ?? '',
    displayIndex: config?.display.displayIndex ?? null,
    kioskPin: '',
    autoStart: config?.autoStart ?? true,
  };
}

/**
 * Settings to apply from a submitted form. Fields that do not concern the chosen roles are left as
 * they were (a PC switched from server to agent keeps its server port for later). An empty PIN keeps
 * the current one. Returns errors the schema cannot see (the PIN in clear, the form's own types).
 */
export function settingsFromSetupForm(form: SetupForm): { settings: StationSettings; kioskPin: string | null; errors: string[] } {
  const errors: string[] = [];
  const roles = Array.isArray(form.roles) ? form.roles.filter((r): r is StationRole => (STATION_ROLES as readonly string[]).includes(r)) : [];
  const isServer = roles.includes('server');
  const settings: StationSettings = { name: String(form.name ?? '').trim(), roles, autoStart: form.autoStart !== false };
  if (!isServer) settings.serverUrl = String(form.serverUrl ?? '').trim() || null;
  if (isServer) {
    const port = Number(form.port);
    if (!Number.isInteger(port)) errors.push('port: a whole number such as 3000');
    else settings.port = port;
    settings.printer = String(form.printer ?? '').trim() || null;
  }
  if (roles.includes('display')) {
    settings.displayIndex = form.displayIndex === null || form.displayIndex === undefined ? null : Number(form.displayIndex);
    // A monitor picked by position replaces a monitor id written by hand.
    settings.displayId = null;
  }
  const pin = String(form.kioskPin ?? '');
  if (pin !== '' && !isValidPin(pin)) errors.push(PIN_RULE);
  return { settings, kioskPin: pin !== '' && isValidPin(pin) ? pin : null, errors };
}

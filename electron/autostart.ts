// Start with the OS session. Windows (and macOS) use app.setLoginItemSettings; Electron does not
// support it on Linux, where the freedesktop way is a .desktop file in ~/.config/autostart.
import { join } from 'node:path';

/** Arguments of an automatic start: no status window popping up at every login. */
export const AUTOSTART_ARGS = ['--background'] as const;

export const LINUX_AUTOSTART_FILE = 'smartqueue.desktop';

export function linuxAutostartPath(env: { XDG_CONFIG_HOME?: string | undefined; HOME?: string | undefined }): string {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME ?? '', '.config');
  return join(configHome, 'autostart', LINUX_AUTOSTART_FILE);
}

/**
 * The program to start: an AppImage runs from a temporary mount, so the stable path is the
 * $APPIMAGE file itself; a .deb install runs its executable in place.
 */
export function linuxExecutable(execPath: string, env: { APPIMAGE?: string | undefined }): string {
  return env.APPIMAGE || execPath;
}

/** Quotes one argument of an Exec= line (Desktop Entry Specification, "The Exec key"). */
export function quoteExecArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(escaped)) return escaped;
  return `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function linuxAutostartEntry(options: { name: string; executable: string; args: readonly string[]; comment?: string }): string {
  const exec = [options.executable, ...options.args].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${options.name}`,
    `Comment=${options.comment ?? 'Start SmartQueue with the session'}`,
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTOSTART_ARGS, linuxAutostartEntry, linuxAutostartPath, linuxExecutable, quoteExecArg } from './autostart.js';

describe('Linux autostart entry', () => {
  it('lives in the XDG autostart folder', () => {
    expect(linuxAutostartPath({ HOME: '/home/agent' })).toBe(join('/home/agent', '.config', 'autostart', 'smartqueue.desktop'));
    expect(linuxAutostartPath({ HOME: '/home/agent', XDG_CONFIG_HOME: '/cfg' })).toBe(join('/cfg', 'autostart', 'smartqueue.desktop'));
  });

  it('starts the AppImage file itself, or the installed executable', () => {
    expect(linuxExecutable('/tmp/.mount_SmartQ/smartqueue', { APPIMAGE: '/opt/SmartQueue.AppImage' })).toBe('/opt/SmartQueue.AppImage');
    expect(linuxExecutable('/opt/SmartQueue/smartqueue', {})).toBe('/opt/SmartQueue/smartqueue');
  });

  it('quotes paths as the Desktop Entry specification asks', () => {
    expect(quoteExecArg('/opt/SmartQueue/smartqueue')).toBe('/opt/SmartQueue/smartqueue');
    expect(quoteExecArg('/home/a b/Smart$Queue.AppImage')).toBe('"/home/a b/Smart\\$Queue.AppImage"');
    expect(quoteExecArg('100%')).toBe('100%%');
  });

  it('starts in the background', () => {
    const entry = linuxAutostartEntry({ name: 'SmartQueue', executable: '/home/a b/SmartQueue.AppImage', args: AUTOSTART_ARGS });
    expect(entry.split('\n')).toEqual(expect.arrayContaining(['[Desktop Entry]', 'Type=Application', 'Exec="/home/a b/SmartQueue.AppImage" --background', 'Terminal=false']));
  });
});

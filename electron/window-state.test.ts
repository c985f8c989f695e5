import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWindowStates, restoreBounds, saveWindowState } from './window-state.js';

const laptop = { x: 0, y: 0, width: 1366, height: 728 };
const secondScreen = { x: 1366, y: 0, width: 1920, height: 1040 };

describe('restoreBounds', () => {
  it('reuses bounds that are on a connected screen', () => {
    const saved = { bounds: { x: 1500, y: 100, width: 1200, height: 800 }, maximized: false };
    expect(restoreBounds(saved, [laptop, secondScreen])).toEqual({ bounds: saved.bounds, maximized: false });
  });

  it('drops bounds left on a screen that was unplugged', () => {
    const saved = { bounds: { x: 1500, y: 100, width: 1200, height: 800 }, maximized: true };
    expect(restoreBounds(saved, [laptop])).toEqual({ bounds: null, maximized: true });
  });

  it('shrinks and pulls back a window that overflows its screen', () => {
    const saved = { bounds: { x: 1000, y: 500, width: 1600, height: 900 }, maximized: false };
    expect(restoreBounds(saved, [laptop])).toEqual({ bounds: { x: 0, y: 0, width: 1366, height: 728 }, maximized: false });
  });

  it('opens at the default place the first time', () => {
    expect(restoreBounds(undefined, [laptop])).toEqual({ bounds: null, maximized: false });
  });
});

describe('window-state.json', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one entry per window and survives a damaged file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sq-window-'));
    dirs.push(dir);
    const file = join(dir, 'window-state.json');
    expect(loadWindowStates(file)).toEqual({});
    saveWindowState(file, 'agent', { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: false });
    saveWindowState(file, 'other', { bounds: { x: 0, y: 0, width: 300, height: 200 }, maximized: true });
    expect(loadWindowStates(file)).toEqual({
      agent: { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: false },
      other: { bounds: { x: 0, y: 0, width: 300, height: 200 }, maximized: true },
    });
    writeFileSync(file, '{"agent": {"bounds": "nope"}}');
    expect(loadWindowStates(file)).toEqual({});
  });
});

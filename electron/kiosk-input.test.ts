import { describe, expect, it } from 'vitest';
import { CornerTapDetector, isAdminShortcut, isBlockedKioskShortcut, isCornerTap, type KeyInput } from './kiosk-input.js';

function key(key: string, mods: Partial<KeyInput> = {}): KeyInput {
  const code = /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : key;
  return { type: 'keyDown', key, code, control: false, alt: false, shift: false, meta: false, ...mods };
}

describe('kiosk keyboard', () => {
  it('opens the PIN prompt on Ctrl+Alt+Shift+P only', () => {
    expect(isAdminShortcut(key('P', { control: true, alt: true, shift: true }))).toBe(true);
    expect(isAdminShortcut(key('p', { control: true, alt: true }))).toBe(false);
    expect(isAdminShortcut({ ...key('P', { control: true, alt: true, shift: true }), type: 'keyUp' })).toBe(false);
  });

  it('swallows the shortcuts that close, reload, print, zoom or inspect', () => {
    for (const input of [
      key('F4', { alt: true }),
      key('w', { control: true }),
      key('q', { control: true }),
      key('r', { control: true }),
      key('p', { control: true }),
      key('+', { control: true }),
      key('-', { control: true }),
      key('0', { control: true }),
      key('i', { control: true, shift: true }),
      key('F5'),
      key('F11'),
      key('F12'),
    ]) {
      expect(isBlockedKioskShortcut(input), JSON.stringify(input)).toBe(true);
    }
  });

  it('lets ordinary typing through (a visitor entering a phone number)', () => {
    for (const input of [key('7'), key('a'), key('Backspace'), key('Enter'), key('c', { control: true }), key('v', { control: true })]) {
      expect(isBlockedKioskShortcut(input)).toBe(false);
    }
  });
});

describe('corner tap gesture', () => {
  it('only counts taps in the top-left corner', () => {
    expect(isCornerTap(0, 0)).toBe(true);
    expect(isCornerTap(79, 79)).toBe(true);
    expect(isCornerTap(80, 10)).toBe(false);
    expect(isCornerTap(10, 500)).toBe(false);
  });

  it('fires on the fifth tap within three seconds, then starts over', () => {
    let now = 0;
    const detector = new CornerTapDetector(5, 3_000, () => now);
    const results = [];
    for (let i = 0; i < 5; i += 1) {
      results.push(detector.tap());
      now += 500;
    }
    expect(results).toEqual([false, false, false, false, true]);
    expect(detector.tap()).toBe(false);
  });

  it('ignores taps spread over more than three seconds', () => {
    let now = 0;
    const detector = new CornerTapDetector(5, 3_000, () => now);
    const results = [];
    for (let i = 0; i < 8; i += 1) {
      results.push(detector.tap());
      now += 800;
    }
    expect(results).not.toContain(true);
  });
});

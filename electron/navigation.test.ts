import { describe, expect, it } from 'vitest';
import { allowedPermissions, isNavigationAllowed } from './navigation.js';

describe('isNavigationAllowed', () => {
  const origin = 'http://192.168.1.10:3000';

  it('keeps app windows on the branch server', () => {
    expect(isNavigationAllowed('http://192.168.1.10:3000/kiosk/', origin)).toBe(true);
    expect(isNavigationAllowed('http://192.168.1.10:3000/agent/login?next=1', origin)).toBe(true);
  });

  it('refuses other hosts, ports, schemes and garbage', () => {
    for (const url of [
      'http://192.168.1.11:3000/kiosk/',
      'http://192.168.1.10:3001/',
      'https://192.168.1.10:3000/',
      'https://evil.example/',
      'file:///C:/Windows/System32/cmd.exe',
      'javascript:alert(1)',
      'data:text/html,<h1>x</h1>',
      'not a url',
    ]) {
      expect(isNavigationAllowed(url, origin)).toBe(false);
    }
  });

  it('refuses everything for local pages', () => {
    expect(isNavigationAllowed('http://192.168.1.10:3000/kiosk/', null)).toBe(false);
  });
});

describe('allowedPermissions', () => {
  it('grants unattended screens nothing beyond full screen', () => {
    expect([...allowedPermissions('kiosk')]).toEqual(['fullscreen']);
    expect([...allowedPermissions('display')]).toEqual(['fullscreen']);
    expect(allowedPermissions('agent').has('media')).toBe(false);
    expect(allowedPermissions('agent').has('notifications')).toBe(true);
  });
});

// Command ids made by the screens: a v4 UUID also where crypto.randomUUID is missing (a page opened over plain http
// by a LAN address is not a secure context: browsers give it getRandomValues only).
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newCommandId } from '../../ui-shared/api.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newCommandId', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('makes v4 UUIDs with crypto.randomUUID', () => {
    expect(newCommandId()).toMatch(UUID_V4);
  });

  it('makes distinct v4 UUIDs without crypto.randomUUID (insecure context)', () => {
    vi.stubGlobal('crypto', { getRandomValues: <T extends ArrayBufferView>(a: T) => webcrypto.getRandomValues(a as never) as T });
    const ids = new Set(Array.from({ length: 200 }, () => newCommandId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });
});

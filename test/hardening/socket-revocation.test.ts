// Issue 14, point 5: a socket lives only as long as its credential. A logout, a disabled user, a new password or
// role, or a revoked device closes that user's or device's open sockets at once (they no longer receive tickets with
// visitors' phone numbers, nor the staff snapshot), and a session that simply expires is caught by the periodic
// re-check. Other people's sockets stay connected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, UserView } from '../../server/src/shared/contracts/api.js';
import { nextChange, startBranch, type TestBranch, type TypedSocket } from '../support/branch.js';
import { TestClock } from '../support/clock.js';

/** Resolves with the reason of the socket's next disconnect (bounded wait). */
function disconnected(socket: TypedSocket, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (socket.disconnected) return resolve('already');
    const timer = setTimeout(() => reject(new Error(`socket still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => { clearTimeout(timer); resolve(reason); });
  });
}

describe('sockets and revoked credentials', () => {
  const clock = new TestClock('2026-11-24T10:00:00Z');
  let b: TestBranch;
  let admin: string;
  const userId = async (login: string) => {
    const users = (await b.api.get<(UserView & { login: string })[]>('/api/admin/users', admin)).body;
    const found = users.find((u) => u.login === login);
    if (!found) throw new Error(`no user ${login}`);
    return found.id;
  };
  const issue = async () => {
    const kiosk = await b.kioskToken();
    const service = await b.service('A');
    return b.api.issue(kiosk, { serviceId: service.id, phone: '+221771234567' });
  };
  const refusedAtHandshake = async (token: string) => {
    await expect(b.socket(token)).rejects.toThrow('UNAUTHENTICATED');
  };

  beforeAll(async () => {
    // A short re-check period so that the expiry case is seen quickly; the revocation cases do not depend on it.
    b = await startBranch({ clock, sessionTtlSeconds: 3600, credentialRecheckMs: 100 });
    admin = await b.login('admin');
  });
  afterAll(async () => { await b?.destroy(); });

  it('an agent disabled by the admin loses their open socket at once; a colleague keeps theirs and gets the next ticket', async () => {
    const awa = await b.login('awa');
    const moussa = await b.login('moussa');
    const awaSocket = await b.socket(awa);
    const moussaSocket = await b.socket(moussa);
    const gone = disconnected(awaSocket);
    expect((await b.api.request('PATCH', `/api/admin/users/${await userId('awa')}`, { token: admin, body: { active: false } })).status).toBe(200);
    expect(await gone).toBe('io server disconnect');

    const seen = nextChange(moussaSocket, (c) => c.tickets?.[0]);
    const issued = await issue();
    expect(issued.status).toBe(201);
    const ticket = await seen;
    expect(ticket.id).toBe(issued.body.id);
    expect(moussaSocket.connected).toBe(true);
    await refusedAtHandshake(awa);
  });

  it('a logout closes the sockets of that session', async () => {
    const token = (await b.api.post<{ token: string }>('/api/auth/login', { login: 'fatou', password: b.passwords.fatou })).body.token;
    const socket = await b.socket(token);
    const gone = disconnected(socket);
    expect((await b.api.post('/api/auth/logout', {}, token)).status).toBeLessThan(300);
    expect(await gone).toBe('io server disconnect');
    await refusedAtHandshake(token);
  });

  it('a new password ends the socket of the old session; a new role makes the socket reconnect with it', async () => {
    const token = (await b.api.post<{ token: string }>('/api/auth/login', { login: 'moussa', password: b.passwords.moussa })).body.token;
    const socket = await b.socket(token);
    const gone = disconnected(socket);
    expect((await b.api.request('PATCH', `/api/admin/users/${await userId('moussa')}`, { token: admin, body: { password: 'a-new-password-for-moussa' } })).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    await refusedAtHandshake(token);

    const fresh = (await b.api.post<{ token: string }>('/api/auth/login', { login: 'moussa', password: 'a-new-password-for-moussa' })).body.token;
    const agentSocket = await b.socket(fresh);
    const closed = disconnected(agentSocket);
    expect((await b.api.request('PATCH', `/api/admin/users/${await userId('moussa')}`, { token: admin, body: { role: 'supervisor' } })).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    // The session itself is still good: the socket comes back, now as a supervisor.
    const supervisorSocket = await b.socket(fresh);
    const ack = await supervisorSocket.emitWithAck('state:sync');
    expect(ack.ok).toBe(true);
  });

  it('a revoked call board loses its socket at once and cannot reconnect', async () => {
    const token = await b.displayToken();
    const socket = await b.socket(token);
    const devices = (await b.api.get<DeviceView[]>('/api/admin/devices', admin)).body;
    const board = devices.filter((d) => d.role === 'display' && !d.revokedAt).sort((x, y) => (x.pairedAt ?? '').localeCompare(y.pairedAt ?? '')).at(-1);
    if (!board) throw new Error('no paired call board');
    const gone = disconnected(socket);
    expect((await b.api.post(`/api/admin/devices/${board.id}/revoke`, {}, admin)).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    await refusedAtHandshake(token);
  });

  it('a session that expires while its socket is open is closed by the periodic re-check', async () => {
    const token = (await b.api.post<{ token: string }>('/api/auth/login', { login: 'aminata', password: b.passwords.aminata })).body.token;
    const socket = await b.socket(token);
    expect((await socket.emitWithAck('state:sync')).ok).toBe(true);
    const gone = disconnected(socket);
    clock.advance(3601 * 1000);
    expect(await gone).toBe('io server disconnect');
  });
});

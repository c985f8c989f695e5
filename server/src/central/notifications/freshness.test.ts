import { describe, expect, it } from 'vitest';
import { branchFreshness, decideCalled, decideTurnNear } from './freshness.js';

const now = new Date('2025-03-12T10:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

describe('freshness of a branch\'s data', () => {
  it('is as old as the last push, or as the oldest record still at the branch', () => {
    expect(branchFreshness({ lastPushAt: ago(20), lastSeq: 10, headSeq: 10, oldestPendingAt: null }, now, 90)).toEqual({ dataAsOf: ago(20), ageSeconds: 20, stale: false, reason: null });
    expect(branchFreshness({ lastPushAt: ago(200), lastSeq: 10, headSeq: 10, oldestPendingAt: null }, now, 90)).toMatchObject({ stale: true, reason: 'link_down', ageSeconds: 200 });
    // Catching up after an outage: the last push was just now, but records from 30 min ago are still to come.
    expect(branchFreshness({ lastPushAt: ago(1), lastSeq: 500, headSeq: 2000, oldestPendingAt: ago(1800) }, now, 90)).toMatchObject({ stale: true, reason: 'catching_up', ageSeconds: 1800, dataAsOf: ago(1800) });
    expect(branchFreshness({ lastPushAt: ago(1), lastSeq: 500, headSeq: 501, oldestPendingAt: ago(2) }, now, 90)).toMatchObject({ stale: false });
    // Stale from the first millisecond past the threshold (not once the rounded seconds pass it).
    const at = (ms: number) => branchFreshness({ lastPushAt: new Date(now.getTime() - ms).toISOString(), lastSeq: 1, headSeq: 1, oldestPendingAt: null }, now, 90);
    expect(at(90_000)).toMatchObject({ stale: false, ageSeconds: 90 });
    expect(at(90_001)).toMatchObject({ stale: true, ageSeconds: 90 });
    expect(branchFreshness(null, now, 90)).toMatchObject({ stale: true, reason: 'never_synced', dataAsOf: null });
    expect(branchFreshness({ lastPushAt: null, lastSeq: 0, headSeq: 0, oldestPendingAt: null }, now, 90)).toMatchObject({ stale: true, reason: 'never_synced' });
  });

  it('never says "your turn is near" from stale data', () => {
    const fresh = branchFreshness({ lastPushAt: ago(5), lastSeq: 1, headSeq: 1, oldestPendingAt: null }, now, 90);
    const stale = branchFreshness({ lastPushAt: ago(300), lastSeq: 1, headSeq: 1, oldestPendingAt: null }, now, 90);
    expect(decideTurnNear({ status: 'waiting', position: 2, notifyAtPosition: 3, freshness: fresh })).toEqual({ send: true });
    expect(decideTurnNear({ status: 'waiting', position: 2, notifyAtPosition: 3, freshness: stale })).toEqual({ send: false, reason: 'stale' });
    expect(decideTurnNear({ status: 'waiting', position: 4, notifyAtPosition: 3, freshness: fresh })).toEqual({ send: false, reason: 'not_reached' });
    expect(decideTurnNear({ status: 'called', position: null, notifyAtPosition: 3, freshness: fresh })).toEqual({ send: false, reason: 'not_waiting' });
    expect(decideTurnNear({ status: 'transferred', position: 1, notifyAtPosition: 1, freshness: fresh })).toEqual({ send: true });
  });

  it('tells a remote visitor early enough to come: once the estimated wait is down to the travel lead time', () => {
    const fresh = branchFreshness({ lastPushAt: ago(5), lastSeq: 1, headSeq: 1, oldestPendingAt: null }, now, 90);
    const stale = branchFreshness({ lastPushAt: ago(300), lastSeq: 1, headSeq: 1, oldestPendingAt: null }, now, 90);
    const far = { status: 'waiting', position: 9, notifyAtPosition: 3 } as const;
    expect(decideTurnNear({ ...far, freshness: fresh, remote: { estimatedWaitMinutes: 45, leadMinutes: 30 } })).toEqual({ send: false, reason: 'not_reached' });
    expect(decideTurnNear({ ...far, freshness: fresh, remote: { estimatedWaitMinutes: 30, leadMinutes: 30 } })).toEqual({ send: true });
    // No estimate (no counter open): nothing promised, the position rule alone.
    expect(decideTurnNear({ ...far, freshness: fresh, remote: { estimatedWaitMinutes: null, leadMinutes: 30 } })).toEqual({ send: false, reason: 'not_reached' });
    expect(decideTurnNear({ ...far, freshness: stale, remote: { estimatedWaitMinutes: 10, leadMinutes: 30 } })).toEqual({ send: false, reason: 'stale' });
    // A walk-in (no remote lead) at the same wait waits for its position.
    expect(decideTurnNear({ ...far, freshness: fresh })).toEqual({ send: false, reason: 'not_reached' });
  });

  it('sends a call only while it is recent and the ticket is still called', () => {
    expect(decideCalled({ eventAt: ago(10), now, currentStatus: 'called', maxEventAgeSeconds: 90 })).toEqual({ send: true });
    expect(decideCalled({ eventAt: ago(600), now, currentStatus: 'called', maxEventAgeSeconds: 90 })).toEqual({ send: false, reason: 'event_too_old' });
    expect(decideCalled({ eventAt: ago(10), now, currentStatus: 'served', maxEventAgeSeconds: 90 })).toEqual({ send: false, reason: 'no_longer_called' });
  });
});

import { describe, expect, it } from 'vitest';
import { DAKAR_TRAFFIC_KMH, distanceKm, estimateTravel, travelHint } from './travel.js';

// Place de l'Indépendance (Plateau) and Almadies, Dakar.
const plateau = { lat: 14.6681, lon: -17.4316 };
const almadies = { lat: 14.7447, lon: -17.5134 };

describe('travel advice', () => {
  it('measures great-circle distances', () => {
    expect(distanceKm(plateau, almadies)).toBeGreaterThan(12);
    expect(distanceKm(plateau, almadies)).toBeLessThan(13);
    expect(distanceKm(plateau, plateau)).toBe(0);
  });

  it('has one speed per hour of the day, slowest at rush hours', () => {
    expect(DAKAR_TRAFFIC_KMH).toHaveLength(24);
    expect(DAKAR_TRAFFIC_KMH[8]).toBeLessThan(DAKAR_TRAFFIC_KMH[11] as number);
    expect(DAKAR_TRAFFIC_KMH[18]).toBeLessThan(DAKAR_TRAFFIC_KMH[22] as number);
  });

  it('takes longer at rush hour in Dakar time, and walks short distances', () => {
    const rush = estimateTravel(almadies, plateau, new Date('2025-03-12T08:00:00Z')); // 08:00 in Dakar (UTC+0)
    const night = estimateTravel(almadies, plateau, new Date('2025-03-12T02:00:00Z'));
    expect(rush.mode).toBe('road');
    expect(rush.minutes).toBeGreaterThan(night.minutes);
    expect(rush.roadKmh).toBe(DAKAR_TRAFFIC_KMH[8]);
    const nextDoor = estimateTravel({ lat: 14.6690, lon: -17.4316 }, plateau, new Date('2025-03-12T18:00:00Z'));
    expect(nextDoor.mode).toBe('walk');
    expect(nextDoor.minutes).toBeLessThanOrEqual(3);
    // The hour is read in the given zone.
    const paris = estimateTravel(almadies, plateau, new Date('2025-03-12T07:00:00Z'), { timeZone: 'Europe/Paris' });
    expect(paris.roadKmh).toBe(DAKAR_TRAFFIC_KMH[8]);
  });

  it('says "leave now" when the trip takes the estimated wait, else how long they can stay', () => {
    expect(travelHint(30, 25)).toEqual({ hint: 'leave_now', travelMinutes: 30 });
    expect(travelHint(20, 25)).toEqual({ hint: 'leave_now', travelMinutes: 20 });
    expect(travelHint(10, 40)).toEqual({ hint: 'you_have_time', travelMinutes: 10, leaveInMinutes: 25 });
    expect(travelHint(10, null)).toEqual({ hint: 'unknown', travelMinutes: 10 });
  });
});

// Travel advice for a visitor who left the hall: how long to come back, from where they are, at this hour in Dakar,
// against the estimated wait. Pure and rough on purpose: a hint, never a promise.
import { DateTime } from 'luxon';

export interface LatLon { lat: number; lon: number }

/**
 * Average door-to-door road speed in Dakar by hour of day (Africa/Dakar), km/h. Rush hours (7–9 h and 17–20 h) crawl;
 * nights flow. A small editable table, not a traffic feed.
 */
export const DAKAR_TRAFFIC_KMH: readonly number[] = [
  35, 38, 40, 40, 38, 32, // 0–5 h
  24, 14, 12, 16, 20, 20, // 6–11 h
  18, 17, 18, 19, 16, 12, // 12–17 h
  11, 13, 20, 26, 30, 33, // 18–23 h
];

/** Roads are longer than the straight line. */
export const ROAD_DETOUR_FACTOR = 1.35;
export const WALKING_KMH = 4.5;
/** Finding transport, parking, getting in: added to every trip. */
export const FIXED_OVERHEAD_MINUTES = 3;
/** Come back this much before the estimated wait runs out. */
export const ARRIVAL_MARGIN_MINUTES = 5;

/** Great-circle distance in km. */
export function distanceKm(a: LatLon, b: LatLon): number {
  const R = 6371;
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function isValidLatLon(p: LatLon): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
}

export interface TravelEstimate {
  distanceKm: number;
  minutes: number;
  mode: 'walk' | 'road';
  /** km/h used for the road, from the hour's profile. */
  roadKmh: number;
}

/** Minutes to reach the branch: the quicker of walking and the road at this hour's Dakar speed. */
export function estimateTravel(from: LatLon, to: LatLon, at: Date, opts: { timeZone?: string; profile?: readonly number[] } = {}): TravelEstimate {
  const km = distanceKm(from, to) * ROAD_DETOUR_FACTOR;
  const hour = DateTime.fromJSDate(at, { zone: opts.timeZone ?? 'Africa/Dakar' }).hour;
  const roadKmh = (opts.profile ?? DAKAR_TRAFFIC_KMH)[hour] ?? 20;
  const walk = (km / WALKING_KMH) * 60;
  const road = (km / roadKmh) * 60 + FIXED_OVERHEAD_MINUTES;
  const mode = walk <= road ? 'walk' : 'road';
  return { distanceKm: Math.round(km * 10) / 10, minutes: Math.max(1, Math.ceil(Math.min(walk, road))), mode, roadKmh };
}

export type TravelHint =
  | { hint: 'leave_now'; travelMinutes: number }
  | { hint: 'you_have_time'; travelMinutes: number; leaveInMinutes: number }
  | { hint: 'unknown'; travelMinutes: number };

/** "Leave now" when the trip (plus a margin) takes at least the estimated wait; else how long they can stay. */
export function travelHint(travelMinutes: number, estimatedWaitMinutes: number | null, marginMinutes = ARRIVAL_MARGIN_MINUTES): TravelHint {
  if (estimatedWaitMinutes === null) return { hint: 'unknown', travelMinutes };
  const slack = estimatedWaitMinutes - travelMinutes - marginMinutes;
  if (slack <= 0) return { hint: 'leave_now', travelMinutes };
  return { hint: 'you_have_time', travelMinutes, leaveInMinutes: slack };
}

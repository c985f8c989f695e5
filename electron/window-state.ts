// Size and position of the agent window, kept between runs in <userData>/window-state.json
// (apart from station.json: the app writes this one, the technician writes the other).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

const RectangleSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
const SavedWindowState = z.object({ bounds: RectangleSchema, maximized: z.boolean() });
export type SavedWindowState = z.infer<typeof SavedWindowState>;
const WindowStateFile = z.record(z.string(), SavedWindowState);

export const WINDOW_STATE_FILE = 'window-state.json';
/** How much of the window must stay on a screen for its saved position to be reused. */
const MIN_VISIBLE = 100;

export function loadWindowStates(file: string): Record<string, SavedWindowState> {
  try {
    const parsed = WindowStateFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    // Missing or damaged: the window opens at its default size, nothing else depends on it.
    return {};
  }
}

export function saveWindowState(file: string, key: string, state: SavedWindowState): void {
  const all = { ...loadWindowStates(file), [key]: SavedWindowState.parse(state) };
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${JSON.stringify(all, null, 2)}\n`);
  renameSync(temp, file);
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Bounds to open the window with: the saved ones when they are still visible on a connected screen
 * (shrunk to fit it), otherwise none (the OS centres a default-sized window on the primary screen).
 */
export function restoreBounds(saved: SavedWindowState | undefined, workAreas: readonly Rectangle[]): { bounds: Rectangle | null; maximized: boolean } {
  if (!saved) return { bounds: null, maximized: false };
  const host = workAreas.find((area) => {
    const o = overlap(saved.bounds, area);
    return o.width >= Math.min(MIN_VISIBLE, saved.bounds.width) && o.height >= Math.min(MIN_VISIBLE, saved.bounds.height);
  });
  if (!host) return { bounds: null, maximized: saved.maximized };
  const width = Math.min(saved.bounds.width, host.width);
  const height = Math.min(saved.bounds.height, host.height);
  const x = Math.min(Math.max(saved.bounds.x, host.x), host.x + host.width - width);
  const y = Math.min(Math.max(saved.bounds.y, host.y), host.y + host.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized };
}

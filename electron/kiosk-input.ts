// Keyboard and touch rules of the kiosk window: the hidden ways to open the admin PIN prompt and
// the shortcuts a visitor must not use. Pure, so the rules are tested without a screen.

/** The subset of Electron's Input (before-input-event) these rules read. */
export interface KeyInput {
  type: string;
  key: string;
  code: string;
  control: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

/** Ctrl+Alt+Shift+P opens the PIN prompt (for kiosks with a keyboard attached by a technician). */
export function isAdminShortcut(input: KeyInput): boolean {
  return input.type === 'keyDown' && input.code === 'KeyP' && input.control && input.alt && input.shift;
}

/** Shortcuts that would close, reload, print, zoom or open things in a kiosk; they are swallowed. */
export function isBlockedKioskShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  if (input.alt && key === 'f4') return true;
  if (['f5', 'f11', 'f12'].includes(key)) return true;
  if (input.control || input.meta) {
    return ['w', 'q', 'n', 't', 'r', 'p', 's', 'o', 'f', 'g', 'h', 'j', 'u', '+', '-', '=', '0', 'i'].includes(key);
  }
  return false;
}

/** The hidden corner for the tap gesture, in CSS pixels from the top-left of the page. */
export const CORNER_SIZE = 80;

export function isCornerTap(x: number, y: number, size = CORNER_SIZE): boolean {
  return x >= 0 && y >= 0 && x < size && y < size;
}

/**
 * Five taps in the top-left corner within three seconds open the PIN prompt. A visitor brushing the
 * corner once or twice does nothing; a staff member who knows the gesture gets in without a keyboard.
 */
export class CornerTapDetector {
  private taps: number[] = [];

  constructor(
    private readonly required = 5,
    private readonly withinMs = 3_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one corner tap; true when it completes the gesture (the sequence then starts over). */
  tap(): boolean {
    const at = this.now();
    this.taps = [...this.taps.filter((t) => at - t < this.withinMs), at];
    if (this.taps.length >= this.required) {
      this.taps = [];
      return true;
    }
    return false;
  }
}

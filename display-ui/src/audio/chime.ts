// The two-tone chime before each announcement, synthesised with Web Audio (no file to ship or to lose).
export function playChime(ctx: AudioContext, destination: AudioNode): number {
  const start = ctx.currentTime + 0.05;
  const notes: Array<[number, number]> = [[659.25, 0], [523.25, 0.42]]; // E5 then C5: "ding-dong"
  for (const [frequency, offset] of notes) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    const t = start + offset;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.6, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.9);
    osc.connect(gain).connect(destination);
    osc.start(t);
    osc.stop(t + 0.95);
  }
  return 1.4; // seconds until the chime has faded
}

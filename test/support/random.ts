// The seeded draws the randomized rule tests take their lines from: the same line on every run.

/** Numbers in [0, 1) drawn from `seed` by a linear congruential generator: reproducible, not cryptographic. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

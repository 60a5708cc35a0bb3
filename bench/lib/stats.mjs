/** Statistics the benches share (not a bench itself: `run.mjs` loads only `bench/*.bench.mjs`). */

/** The median of `xs` (the upper one of an even count): the figure every bench prints, steadier than a mean under load. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

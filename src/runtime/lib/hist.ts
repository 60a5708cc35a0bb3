/**
 * `hist`: a power-of-two histogram of integers, bucketed and printed the way bpftrace's `hist()` is, so the output
 * reads the same to its users: `(..., 0)`, `[0]`, `[1]`, `[2, 4)`, `[4, 8)`, … `[1K, 2K)`, … with a bar of `@`.
 */

/** Bucket numbers: 0 holds negative values, 1 holds 0, and `k + 2` holds `[2^k, 2^(k+1))`. */
function bucketOf(v: bigint): number {
  if (v < 0n) return 0;
  if (v === 0n) return 1;
  return v.toString(2).length + 1;
}

/** A power-of-two histogram (`state h: hist`, `append v to h`). */
export class Hist {
  /** Samples per bucket number (see `bucketOf`). */
  private readonly buckets = new Map<number, number>();
  /** Number of samples. */
  count = 0;
  /** Sum of the samples. */
  sum = 0n;
  min: bigint | undefined;
  max: bigint | undefined;

  /** Records one sample. */
  add(v: bigint): void {
    const b = bucketOf(v);
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
    this.count++;
    this.sum += v;
    if (this.min === undefined || v < this.min) this.min = v;
    if (this.max === undefined || v > this.max) this.max = v;
  }

  /** The non-empty range of buckets, with the empty ones in between: `[label, count]` in order. */
  rows(): [string, number][] {
    if (this.buckets.size === 0) return [];
    const keys = [...this.buckets.keys()];
    const lo = Math.min(...keys);
    const hi = Math.max(...keys);
    const rows: [string, number][] = [];
    for (let b = lo; b <= hi; b++) rows.push([bucketLabel(b), this.buckets.get(b) ?? 0]);
    return rows;
  }
}

const SUFFIXES = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/** `1024` → `1K`, as bpftrace labels its buckets. */
function short(power: number): string {
  const unit = Math.floor(power / 10);
  return `${2n ** BigInt(power - unit * 10)}${SUFFIXES[unit] ?? `*2^${unit * 10}`}`;
}

function bucketLabel(b: number): string {
  if (b === 0) return '(..., 0)';
  if (b === 1) return '[0]';
  if (b === 2) return '[1]';
  const k = b - 2;
  return `[${short(k)}, ${short(k + 1)})`;
}

const BAR_WIDTH = 52;

/** The histogram as bpftrace prints it: one line per bucket, `label  count |@@@@   |`. */
export function renderHist(h: Hist): string[] {
  const rows = h.rows();
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return rows.map(([label, n]) => {
    const bar = '@'.repeat(Math.floor((n * BAR_WIDTH) / max));
    return `${label.padEnd(16)}${String(n).padStart(8)} |${bar.padEnd(BAR_WIDTH)}|`;
  });
}

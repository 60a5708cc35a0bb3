/**
 * The progress bar on a terminal: schedules explored, distinct states and outcomes, rate, and time left in the budget, redrawn
 * at most ten times a second on one line of stderr. Quiet when stderr is not a terminal.
 */
import type { Progress } from './search.js';

/** A progress display. */
export interface ProgressBar {
  update(semantics: string, p: Progress): void;
  done(): void;
}

/** A progress bar on `stream`, or a silent one when `enabled` is false. */
export function progressBar(stream: NodeJS.WritableStream, enabled: boolean): ProgressBar {
  let last = 0;
  let drawn = false;
  return {
    update(semantics, p) {
      if (!enabled) return;
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const width = 20;
      const frac = Math.min(1, p.elapsedMs / p.budgetMs);
      const filled = Math.round(frac * width);
      const rate = p.elapsedMs > 0 ? (p.schedules * 1000) / p.elapsedMs : 0;
      const left = Math.max(0, (p.budgetMs - p.elapsedMs) / 1000);
      stream.write(
        `\r\x1b[K${semantics} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.schedules} schedules, ${p.states !== undefined ? `${p.states} states, ` : ''}${p.outcomes} outcomes, ${rate.toFixed(0)}/s, ${left.toFixed(0)}s left`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

import type { Control } from './engine.js';
import type { Coroutine } from './types.js';

/**
 * `DebuggerHost.every` on top of `spawn`, the same for every backend: one debugger-side coroutine that sleeps a
 * period, checks that it is still wanted, runs the body to its end, and sleeps again (so runs never overlap, and
 * the first run comes one period after the start).
 */
export function spawnPeriodic(
  spawn: (name: string, body: (ctl: Control) => Coroutine<void>) => void,
  name: string,
  periodNs: number,
  body: (ctl: Control) => Coroutine<void>,
  running: () => boolean,
): { cancel(): void } {
  let cancelled = false;
  spawn(name, function* (ctl) {
    for (;;) {
      yield* ctl.sleep(periodNs);
      if (cancelled || !running()) return;
      yield* body(ctl);
    }
  });
  return {
    cancel: () => {
      cancelled = true;
    },
  };
}

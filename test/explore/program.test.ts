/** The explorer finds a handler by the callback name the runtime logs, from the runtime's one table. */
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { engineLines } from '../../src/explore/program.js';
import { CALLBACK_OF_EVENT } from '../../src/runtime/core/callbacks.js';
import { run } from '../session/helpers.js';

const EVERY_EVENT = `engine e {
  on quiesce do resume
  on syscall_entry do resume
  on syscall_exit do resume
  on signal do resume
  on clone do resume
  on exec do resume
  on exit do resume
  on death do resume
  on reap do emit "r"
  on jctl do resume
  on attach do emit "a"
}`;

describe('engineLines', () => {
  it('keys every handler by its utrace callback, and one no callback reports by its event', () => {
    const [e] = engineLines(new SourceFile('all.utr', EVERY_EVENT));
    expect(new Set(e?.handlers.keys())).toEqual(new Set([...Object.values(CALLBACK_OF_EVENT), 'attach']));
    expect(e?.handlers.get('report_syscall_entry')).toEqual([{ what: 'on syscall_entry', line: 3 }]);
  });

  it('uses the names the runtime logs: every callback of a run is in the table', async () => {
    const r = await run('all.utr', { workload: 'signals', trace: true }, EVERY_EVENT);
    const logged = new Set(r.trace.flatMap((t) => (t.kind === 'callback' ? [t.callback] : [])));
    expect(logged.size).toBeGreaterThan(4);
    const [e] = engineLines(new SourceFile('all.utr', EVERY_EVENT));
    for (const name of logged) expect(e?.handlers.has(name), name).toBe(true);
  });
});

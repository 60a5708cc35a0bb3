// The Linux backend against strace, in the same run so the machine's state cancels out. Workloads: 200,000 getpid
// calls, 200,000 one-byte writes to /dev/null, and `ls -lR /usr/share`. Each is run untraced, under
// `strace -f -c -o /dev/null`, and under utrc's ptrace layer with a trivial per-syscall counter (the counting session,
// which like strace -c stops at every syscall's entry and exit). With a seccomp filter, `ls -lR` is traced for openat
// only, against `strace -f --seccomp-bpf -e trace=openat -o /dev/null`.
//
// utrc's figures are measured inside this process (launch of the tracer thread to the end of the command), so they
// include the worker's start-up but not Node's; Node's own start-up is printed beside them.
//
// Traced runs take seconds each, so at most 3 runs per figure are made whatever --runs says. UTRC_BENCH_LINUX_N
// changes the 200,000.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.mjs';

const dist = new URL('../dist/runtime/linux/', import.meta.url);
const N = Number(process.env.UTRC_BENCH_LINUX_N ?? 200_000);
const OPENAT = 257;
/** open, creat, openat, openat2 on x86_64: the syscalls examples/opens.utr handles, so its filter. */
const OPEN_CALLS = [2, 85, 257, 437];

/** A setup module (see dist/runtime/linux/sessions/utrace.js) that runs a `.utr` program with runSession. */
const UTR_SETUP = `data:text/javascript,${encodeURIComponent(`
const dist = ${JSON.stringify(new URL('../dist/', import.meta.url).href)};
const { loadProgram } = await import(new URL('session/cache.js', dist).href);
const { runSession } = await import(new URL('session/session.js', dist).href);
const { SourceFile } = await import(new URL('diagnostics/source.js', dist).href);
const { X86_64 } = await import(new URL('arch/index.js', dist).href);
export async function setup({ runtime, debugger: host, tasks, tgid, ended, options }) {
  const loaded = await loadProgram(new SourceFile(options.file, options.text), { version: 'bench', cacheDir: options.cacheDir });
  const backend = {
    name: 'linux', runtime, debugger: host, initialTask: tasks[0], tgid,
    onEmit: (fn) => runtime.onEmit(fn), faults: runtime.faults, debuggerErrors: host.debuggerErrors,
    run: async () => { await ended; return { reason: 'done', time: runtime.now() }; },
  };
  const session = runSession(loaded.engines, backend, { arch: X86_64 });
  return { onEnd: async () => { await session; } };
}
`)}`;

const SOURCES = {
  getpid_loop: `#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(int argc, char **argv) { long n = atol(argv[1]); for (long i = 0; i < n; i++) syscall(SYS_getpid); return 0; }
`,
  write_loop: `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
  long n = atol(argv[1]); int fd = open("/dev/null", O_WRONLY);
  for (long i = 0; i < n; i++) if (write(fd, "x", 1) != 1) return 1;
  return 0;
}
`,
};

function buildPrograms() {
  const hash = createHash('sha256').update(JSON.stringify(SOURCES)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `utrc-linux-bench-${hash}`);
  if (!existsSync(join(dir, '.complete'))) {
    const work = mkdtempSync(join(tmpdir(), 'utrc-linux-bench-build-'));
    for (const [name, text] of Object.entries(SOURCES)) {
      writeFileSync(join(work, `${name}.c`), text);
      execFileSync('cc', ['-O2', '-o', join(work, name), join(work, `${name}.c`)]);
    }
    writeFileSync(join(work, '.complete'), '');
    try {
      renameSync(work, dir);
    } catch {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return { getpid: join(dir, 'getpid_loop'), write: join(dir, 'write_loop') };
}

function timeCommand(file, args) {
  const start = performance.now();
  const result = spawnSync(file, args, { stdio: 'ignore' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (status ${result.status})`);
  return ms;
}

async function timeUtrc(TracerHandle, command, syscalls) {
  const devNull = openSync('/dev/null', 'w');
  let counts;
  const start = performance.now();
  const handle = await TracerHandle.launch({
    session: new URL('sessions/syscall-count.js', dist),
    sessionOptions: { errors: true },
    command: { command, stdio: [0, devNull, devNull] },
    syscalls,
    onMessage: (m) => (counts = m.counts),
  });
  const summary = await handle.done;
  const ms = performance.now() - start;
  if (summary.rootStatus?.code !== 0) throw new Error(`${command.join(' ')} failed under utrc`);
  const calls = Object.values(counts ?? {}).reduce((sum, c) => sum + c.calls, 0);
  return { ms, calls };
}

export default {
  name: 'linux',
  async run({ runs }) {
    if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('needs Linux on x86_64');
    if (spawnSync('strace', ['-V']).status !== 0) throw new Error('needs strace (apt-get install strace)');
    if (!existsSync(fileURLToPath(new URL('worker.js', dist)))) throw new Error('run `npm run build` first');
    const { TracerHandle } = await import(new URL('index.js', dist).href);
    const programs = buildPrograms();
    const n = Math.min(runs, 3);
    const rows = [];
    const workloads = [
      { name: `getpid x${N}`, command: [programs.getpid, String(N)] },
      { name: `write x${N}`, command: [programs.write, String(N)] },
      { name: 'ls -lR /usr/share', command: ['/bin/sh', '-c', 'exec ls -lR /usr/share > /dev/null'] },
    ];
    const ms = (value) => ({ value, unit: 'ms' });

    for (const w of workloads) {
      const untraced = [];
      const strace = [];
      const utrc = [];
      let calls = 0;
      for (let i = 0; i < n; i++) {
        untraced.push(timeCommand(w.command[0], w.command.slice(1)));
        strace.push(timeCommand('strace', ['-f', '-c', '-o', '/dev/null', '--', ...w.command]));
        const r = await timeUtrc(TracerHandle, w.command, { mode: 'all' });
        utrc.push(r.ms);
        calls = r.calls;
      }
      const [u, s, t] = [median(untraced), median(strace), median(utrc)];
      rows.push({ measurement: `${w.name}: untraced`, ...ms(u) });
      rows.push({ measurement: `${w.name}: strace -f -c`, ...ms(s) });
      rows.push({ measurement: `${w.name}: utrc, every syscall`, ...ms(t), detail: `${calls} syscalls counted` });
      rows.push({
        measurement: `${w.name}: overhead per syscall`,
        value: ((t - u) * 1000) / calls,
        unit: 'µs',
        detail: `strace ${(((s - u) * 1000) / calls).toFixed(2)} µs`,
      });
      rows.push({ measurement: `${w.name}: utrc / strace`, value: t / s, unit: 'x', detail: 'aim ≤ 1.0' });
    }

    // The one-syscall engine with the seccomp filter: only openat stops (and its exit, for the error count).
    const lsR = workloads[2].command;
    const untraced = [];
    const strace = [];
    const utrc = [];
    const getpidFiltered = [];
    for (let i = 0; i < n; i++) {
      untraced.push(timeCommand(lsR[0], lsR.slice(1)));
      strace.push(
        timeCommand('strace', ['-f', '--seccomp-bpf', '-e', 'trace=openat', '-o', '/dev/null', '--', ...lsR]),
      );
      utrc.push((await timeUtrc(TracerHandle, lsR, { mode: 'filter', numbers: [OPENAT] })).ms);
      getpidFiltered.push(
        (await timeUtrc(TracerHandle, workloads[0].command, { mode: 'filter', numbers: [OPENAT] })).ms,
      );
    }
    const [u, s, t] = [median(untraced), median(strace), median(utrc)];
    rows.push({ measurement: 'ls -lR, openat only: strace --seccomp-bpf', ...ms(s) });
    rows.push({ measurement: 'ls -lR, openat only: utrc with filter', ...ms(t) });
    rows.push({
      measurement: 'ls -lR, openat only: utrc / untraced',
      value: t / u,
      unit: 'x',
      detail: 'aim ≤ 1.1 (+ Node start-up)',
    });
    rows.push({ measurement: 'ls -lR, openat only: utrc / strace --seccomp-bpf', value: t / s, unit: 'x' });
    const gpUntraced = timeCommand(workloads[0].command[0], workloads[0].command.slice(1));
    rows.push({
      measurement: `getpid x${N}, openat only: utrc with filter`,
      ...ms(median(getpidFiltered)),
      detail: `untraced ${gpUntraced.toFixed(1)} ms: no getpid stops`,
    });

    // The same filtered workload through the whole product path: examples/opens.utr compiled by the session layer,
    // run by runSession on the utrace core on this backend (compiled once, outside the timing, into a cache).
    const opensFile = fileURLToPath(new URL('../examples/opens.utr', import.meta.url));
    const cacheDir = mkdtempSync(join(tmpdir(), 'utrc-linux-bench-cache-'));
    try {
      const { loadProgram } = await import(new URL('../dist/session/cache.js', import.meta.url).href);
      const { SourceFile } = await import(new URL('../dist/diagnostics/source.js', import.meta.url).href);
      const text = readFileSync(opensFile, 'utf8');
      const warm = await loadProgram(new SourceFile(opensFile, text), { version: 'bench', cacheDir });
      if (!warm.ok) throw new Error('examples/opens.utr does not compile');
      const utr = [];
      let emitted = 0;
      for (let i = 0; i < n; i++) {
        const devNull = openSync('/dev/null', 'w');
        const start = performance.now();
        const handle = await TracerHandle.launch({
          session: new URL('sessions/utrace.js', dist),
          sessionOptions: { setup: UTR_SETUP, setupOptions: { file: opensFile, text, cacheDir } },
          command: { command: lsR, stdio: [0, devNull, devNull] },
          syscalls: { mode: 'filter', numbers: OPEN_CALLS },
          onMessage: (m) => (emitted += m.type === 'emit' ? 1 : 0),
        });
        await handle.done;
        utr.push(performance.now() - start);
      }
      const v = median(utr);
      rows.push({
        measurement: 'ls -lR, openat only: opens.utr on the utrace core',
        ...ms(v),
        detail: `${Math.round(emitted / n)} records; ${(v / u).toFixed(2)}x untraced, ${(v / s).toFixed(2)}x strace`,
      });
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }

    const nodeStart = median(Array.from({ length: n }, () => timeCommand(process.execPath, ['-e', '0'])));
    const trueRuns = [];
    for (let i = 0; i < n; i++)
      trueRuns.push((await timeUtrc(TracerHandle, ['/bin/true'], { mode: 'filter', numbers: [OPENAT] })).ms);
    rows.push({ measurement: 'start-up: node -e 0', ...ms(nodeStart) });
    rows.push({
      measurement: 'start-up: utrc tracer thread + /bin/true',
      ...ms(median(trueRuns)),
      detail: 'worker, koffi, spawn, seize',
    });
    return rows;
  },
};

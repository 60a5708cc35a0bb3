/** Runs the built CLI as a user would, and compares output with golden files. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = 'bin/utrc.js';

/** What a run of `utrc` produced. */
export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/utrc.js ARGS` from the repository root (or `cwd`), without colour variables leaking in from the caller. */
export function utrc(
  args: readonly string[],
  options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {},
): Run {
  if (!existsSync(`${ROOT}dist/cli/main.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env || !('NO_COLOR' in options.env)) delete env['NO_COLOR'];
  delete env['FORCE_COLOR'];
  delete env['UTRC_DEBUG'];
  const r = spawnSync(process.execPath, [`${ROOT}${BIN}`, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Compares `actual` with `test/cli/golden/NAME`; `UPDATE_GOLDEN=1` rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
  const path = `${ROOT}test/cli/golden/${name}`;
  if (process.env['UPDATE_GOLDEN'] === '1') {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`no golden file ${name}: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** True if the text looks like a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[(:]\d+/m.test(text) || /node:internal/.test(text);
}

#!/usr/bin/env node
// Builds native/build/utrc-trampoline with the system C compiler. Run by `npm run build:native` (and so by
// `npm run build` and `prepare`). The trampoline is only needed to trace real processes on Linux, so on other
// systems, or without a compiler, this prints why it skipped and succeeds: the Linux backend then reports the
// missing binary clearly when it is used.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build', 'utrc-trampoline');

if (process.platform !== 'linux') {
  console.error(`build:native: skipped (the trampoline is Linux-only; this is ${process.platform})`);
  process.exit(0);
}
const cc = process.env.CC || 'cc';
mkdirSync(dirname(out), { recursive: true });
const result = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-o', out, join(here, 'trampoline.c')], {
  stdio: 'inherit',
});
if (result.error) {
  console.error(
    `build:native: skipped (cannot run \`${cc}\`: ${result.error.message}); install a C compiler to trace real processes`,
  );
  process.exit(0);
}
process.exit(result.status ?? 1);

/** The documentation that describes the command line and the code must describe what exists. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { ROOT, utrc } from './helpers.js';

const cliDoc = readFileSync(`${ROOT}docs/cli.md`, 'utf8');
const architecture = readFileSync(`${ROOT}ARCHITECTURE.md`, 'utf8');

/** The folders git tracks directly under `dir` ('' for the root), as `dir/name/`. */
function folders(dir: string): string[] {
  const out = execFileSync('git', ['ls-tree', '-d', '--name-only', `HEAD:${dir}`], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => f !== '')
    .map((f) => (dir === '' ? `${f}/` : `${dir}/${f}/`));
}

describe('docs/cli.md', () => {
  for (const { name } of COMMANDS) {
    it(`documents \`utrc ${name}\` and every option its --help lists`, () => {
      expect(cliDoc).toContain(`## \`utrc ${name}\``);
      const help = utrc([name, '--help']);
      expect(help.status).toBe(0);
      // The option lines of the help: `  -o, --out-dir DIR  …` or `  --trace  …`.
      const options = new Set([...help.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1] ?? ''));
      expect(options.size).toBeGreaterThan(0);
      const section = cliDoc.slice(cliDoc.indexOf(`## \`utrc ${name}\``)).split(/\n## /)[0] ?? '';
      // An option shared by every verb may be described once, under `check`.
      const shared = ['--arch', '--color', '--quiet', '--eval', '--help', '--format'];
      for (const option of options) {
        const where = shared.includes(option) ? cliDoc : section;
        expect(where, `${option} of utrc ${name}`).toContain(`\`${option}`);
      }
    });
  }
});

describe('ARCHITECTURE.md', () => {
  it('has a code-map entry for every folder of src/ and of the repository root', () => {
    const wanted = [...folders('src'), ...folders('').filter((f) => !f.startsWith('.'))];
    for (const folder of wanted) expect(architecture, folder).toContain(`\`${folder}`);
  });
});

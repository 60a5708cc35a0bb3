import type { Command } from '../command.js';

/**
 * The verbs, each loaded only when it is used, so `utrc check` does not pay for the code generator or the runtime.
 * Add a verb here and in its own file under `commands/`.
 */
export const COMMANDS: ReadonlyArray<{ name: string; summary: string; load: () => Promise<Command> }> = [
  {
    name: 'check',
    summary: 'parse, type-check and race-check .utr files',
    load: async () => (await import('./check.js')).command,
  },
  {
    name: 'rules',
    summary: 'list the race rules (UTR3xxx)',
    load: async () => (await import('./rules.js')).command,
  },
  {
    name: 'explain',
    summary: "show a rule's documentation page",
    load: async () => (await import('./explain.js')).command,
  },
  {
    name: 'build',
    summary: 'compile .utr engines to TypeScript modules',
    load: async () => (await import('./build.js')).command,
  },
  {
    name: 'run',
    summary: 'compile engines and run them on the simulator or on real processes',
    load: async () => (await import('./run.js')).command,
  },
  {
    name: 'explore',
    summary: 'search schedules for invariant violations',
    load: async () => (await import('./explore.js')).command,
  },
];

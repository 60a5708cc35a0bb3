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
];

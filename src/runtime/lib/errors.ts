/**
 * What to print for a caught value. Kept in the runtime, which imports nothing from the compiler, so that the
 * session and the CLI (which may import the runtime) share it with the runtime's own backends.
 */

/** The message of an `Error`, or the thrown value as text (code may throw strings, numbers, or anything). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

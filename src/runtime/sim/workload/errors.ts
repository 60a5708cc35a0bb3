/** A workload that cannot be built, read or run: the message is one line a user can act on. */
export class WorkloadError extends Error {
  /** Every problem found, when there were several (the message names the first and counts the rest). */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.name = 'WorkloadError';
    this.problems = problems;
  }
}

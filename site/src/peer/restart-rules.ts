// The pure decisions of ./link-recovery, kept apart so that they are unit
// tested without a browser (test/unit/recovery.test.ts).

/** Delay before restart number `attempt` (0 first) of a connection that keeps failing. */
export function failedRetryDelayMs(attempt: number): number {
  return attempt === 0 ? 0 : Math.min(30_000, 4_000 * 2 ** (attempt - 1));
}

/** Whether to restart now that the wait is over: nobody restarted meanwhile, and it did not recover by itself. */
export function shouldRestart(at: { generationThen: string; generationNow: string; recovered: boolean }): boolean {
  return at.generationThen === at.generationNow && !at.recovered;
}

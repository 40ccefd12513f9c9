// What the helpers need of a page in any engine: a way to run a function in
// it. Playwright's Page is one as it is; a Puppeteer page is wrapped
// (./peer-page.ts).

export interface Evaluator {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

/**
 * Polls `check` in the page every 100 ms until it returns true; fails with
 * `what` after `timeoutMs`. Every wait in the browser suite is bounded:
 * a call that never connects must fail, not hang.
 */
export async function waitUntil<A>(
  page: Evaluator,
  check: (arg: A) => boolean | Promise<boolean>,
  arg: A,
  { timeoutMs = 15_000, what = "a condition" }: { timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(check, arg)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

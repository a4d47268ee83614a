/**
 * Waits for `work`, but no longer than `signal` allows: for SDKs that take no AbortSignal (or may
 * ignore it), so the worker's deadline holds. Settles as `work` does; when `signal` aborts first it
 * rejects with an Error `"<what> aborted"` whose `cause` is `signal.reason`. `work` itself is not
 * cancelled: its own timeout must clean it up. Checking `signal.aborted` before starting the work
 * is the caller's job; an abort that already happened does not reject.
 */
export async function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  what: string,
): Promise<T> {
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error(`${what} aborted`, { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

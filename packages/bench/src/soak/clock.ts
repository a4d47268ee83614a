/** The soak's clock: every time in its results is milliseconds since the run started. */
const t0 = Date.now();

/** When the run started. */
export const startedAt = (): Date => new Date(t0);

/** Milliseconds since the run started. */
export const sinceStart = (): number => Date.now() - t0;

/** Seconds since the run started, one decimal. */
export const elapsedS = (): string => (sinceStart() / 1000).toFixed(1);

/** A progress line, stamped with the seconds since the start. */
export function log(line: string): void {
  process.stdout.write(`[soak ${elapsedS().padStart(6)}s] ${line}\n`);
}

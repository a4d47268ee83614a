import { errorSummary, type Logger } from '@herald/core';

/**
 * Runs `sweep` every `intervalMs`, never two at once, until stopped. A failing sweep is logged
 * and tried again next tick; a full batch is followed at once by another.
 */
export function startSweeper(
  sweep: () => Promise<number>,
  intervalMs: number,
  batchSize: number,
  logger: Logger,
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function tick(): Promise<void> {
    try {
      while (!stopped && (await sweep()) >= batchSize) {
        /* more are due: keep going */
      }
    } catch (err) {
      logger.warn({ err: errorSummary(err) }, 'sweep failed; will retry');
    }
    if (!stopped) timer = setTimeout(schedule, intervalMs);
  }

  function schedule(): void {
    running = tick();
  }

  timer = setTimeout(schedule, Math.min(intervalMs, 1_000));
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

import type { PhaseFailure } from '../report/results';
import type { BenchContext, BenchPhase } from './context';

/**
 * Whether `--phases` (`only`: lower-case names or first words; undefined: all) picks the phase
 * `name`. A phase is picked by its whole name or its first word ("Status" for "Status GET and
 * long-poll"), never by a prefix: "B" must not pick "Backlog".
 */
export function picked(only: readonly string[] | undefined, name: string): boolean {
  const names = [name.toLowerCase(), name.toLowerCase().split(' ')[0]];
  return only === undefined || only.some((p) => names.includes(p));
}

/**
 * Runs the phases picked on the command line; a failure is recorded and the run goes on without
 * that figure.
 */
export class PhaseRunner {
  readonly failures: PhaseFailure[] = [];

  /** `only`: lower-case names or first words to run; undefined runs every phase. */
  constructor(private readonly only: readonly string[] | undefined) {}

  async run(ctx: BenchContext, name: string, phase: BenchPhase): Promise<void> {
    if (!picked(this.only, name)) return;
    const started = Date.now();
    try {
      await phase(ctx);
      ctx.progress.say(`${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.failures.push({ phase: name, error: error.stack ?? String(error) });
      ctx.progress.say(`${name}: FAILED — ${error.message.split('\n')[0]}`);
    }
  }
}

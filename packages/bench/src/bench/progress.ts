/**
 * The runner's progress output: one line rewritten in place on a terminal; on anything else (CI,
 * a log file) a line per step, and at most one every 5 s within a step.
 */
export class Progress {
  private readonly t0 = Date.now();
  private readonly tty = process.stdout.isTTY;
  private lastLineLength = 0;
  private lastLogged = { at: 0, step: '' };

  /** Seconds since the run started, as "12s". */
  elapsed(): string {
    return `${((Date.now() - this.t0) / 1000).toFixed(0)}s`;
  }

  /** A progress update: replaces the last one on a terminal. */
  update(text: string): void {
    const line = `[bench ${this.elapsed().padStart(5)}] ${text}`;
    if (this.tty) {
      process.stdout.write(`\r${line.padEnd(this.lastLineLength)}`);
      this.lastLineLength = line.length;
      return;
    }
    const step = text.split(':')[0] ?? '';
    if (step === this.lastLogged.step && Date.now() - this.lastLogged.at < 5_000) return;
    this.lastLogged = { at: Date.now(), step };
    process.stdout.write(`${line}\n`);
  }

  /** A line that stays. */
  say(text: string): void {
    if (this.tty && this.lastLineLength > 0) process.stdout.write('\n');
    this.lastLineLength = 0;
    process.stdout.write(`[bench ${this.elapsed().padStart(5)}] ${text}\n`);
  }
}

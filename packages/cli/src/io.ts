/** Where a command writes and reads; `main.ts` binds it to the process, tests to arrays. */
export interface CliIo {
  /** Writes one line of results to stdout. */
  out(line: string): void;
  /** Writes one line of diagnostics to stderr. */
  err(line: string): void;
  /** All of stdin, for `--json -`. */
  readStdin(): Promise<string>;
}

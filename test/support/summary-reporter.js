// @ts-check
// A jest reporter in checked JavaScript: jest loads reporters with a plain require, which cannot
// load TypeScript on Node 20. Type-checked through tsconfig.check.json (checkJs).

/** Prints one plain closing line, `jest: N passed, N failed, N skipped`, that any CI can read. */
class SummaryReporter {
  /**
   * @param {unknown} _contexts
   * @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number }} results
   *   the counts of jest's AggregatedResult
   */
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(
      `\njest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;

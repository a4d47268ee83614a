import { text } from 'node:stream/consumers';
import { run } from './run';

// The `herald` entry point: binds the CLI to this process. Everything else lives in run.ts.
void run(process.argv.slice(2), {
  io: {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readStdin: () => text(process.stdin),
  },
}).then((code) => {
  // exitCode, not exit(): let stdout drain when it is a pipe.
  process.exitCode = code;
});

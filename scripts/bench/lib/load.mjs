/** Runs one autocannon load in a child process (see load-child.mjs) and returns its summary. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from '../../lib/processes.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'load-child.mjs');

export async function runLoad(options) {
  const out = await runNode(CHILD, [JSON.stringify(options)], {});
  const line = out.trim().split('\n').pop();
  return JSON.parse(line);
}

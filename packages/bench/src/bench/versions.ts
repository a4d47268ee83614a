/** Versions of what the benchmark ran, read from the installed packages and git. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Versions } from '../report/results';

const versionIn = (file: string): string | undefined =>
  (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }).version;

function versionOf(fromPackageDir: string, name: string): string {
  try {
    // pnpm links every dependency under the depending package's node_modules.
    const version = versionIn(path.join(fromPackageDir, 'node_modules', name, 'package.json'));
    if (version !== undefined) return version;
  } catch {
    // not linked there (or an older layout): resolve it
  }
  try {
    const require = createRequire(path.join(fromPackageDir, 'package.json'));
    let dir = path.dirname(require.resolve(name));
    // Walk up from the entry point to the package's own package.json.
    for (;;) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === name) return pkg.version ?? 'unknown';
      } catch {
        // not here; keep walking up
      }
      const up = path.dirname(dir);
      if (up === dir) return 'unknown';
      dir = up;
    }
  } catch {
    return 'unknown';
  }
}

/** The Herald commit (marked when the tree has uncommitted changes) and the measured packages. */
export function packageVersions(repo: string): Versions {
  let herald = 'unknown';
  try {
    herald = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repo }).toString().trim();
    if (dirty) herald += ' (uncommitted changes)';
  } catch {
    // not a git checkout
  }
  const pkg = (name: string) => path.join(repo, 'packages', name);
  return {
    herald,
    autocannon: versionOf(pkg('bench'), 'autocannon'),
    dynalite: versionOf(pkg('local'), 'dynalite'),
    fauxqs: versionOf(pkg('local'), 'fauxqs'),
    awsSdk: versionOf(pkg('aws'), '@aws-sdk/client-dynamodb'),
    express: versionOf(pkg('api'), 'express'),
    sqsConsumer: versionOf(pkg('bench'), 'sqs-consumer'),
  };
}

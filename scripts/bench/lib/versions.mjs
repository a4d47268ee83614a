/** Versions of what the benchmark ran, read from the installed packages and git. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function versionOf(fromPackageDir, name) {
  try {
    // pnpm links every dependency under the depending package's node_modules.
    const direct = path.join(fromPackageDir, 'node_modules', name, 'package.json');
    return JSON.parse(readFileSync(direct, 'utf8')).version;
  } catch {
    // not linked there (or an older layout): resolve it
  }
  try {
    const require = createRequire(path.join(fromPackageDir, 'package.json'));
    let dir = path.dirname(require.resolve(name));
    // Walk up from the entry point to the package's own package.json.
    for (;;) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
        if (pkg.name === name) return pkg.version;
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

export function packageVersions(repo) {
  let herald = 'unknown';
  try {
    herald = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repo }).toString().trim();
    if (dirty) herald += ' (uncommitted changes)';
  } catch {
    // not a git checkout
  }
  const local = path.join(repo, 'packages', 'local');
  const api = path.join(repo, 'packages', 'api');
  return {
    herald,
    autocannon: versionOf(repo, 'autocannon'),
    dynalite: versionOf(local, 'dynalite'),
    fauxqs: versionOf(local, 'fauxqs'),
    awsSdk: versionOf(path.join(repo, 'packages', 'aws'), '@aws-sdk/client-dynamodb'),
    express: versionOf(api, 'express'),
    sqsConsumer: versionOf(repo, 'sqs-consumer'),
  };
}

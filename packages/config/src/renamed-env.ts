/** An environment with renamed variables resolved, and what to tell the operator about them. */
export interface RenamedEnv {
  env: NodeJS.ProcessEnv;
  /** One line per old name still in use; the deployable logs them as warnings at start. */
  warnings: string[];
}

/**
 * Resolves renamed environment variables (`{ OLD_NAME: 'NEW_NAME' }`) so that a deployment
 * still setting an old name keeps its value instead of silently falling back to a default. If
 * only the old name is set, its value is copied to the new one; if both are, the new one wins.
 * Either way a warning names the old variable. An empty value counts as unset. Does not modify
 * `env`; returns a copy.
 */
export function applyRenamedEnv(
  env: NodeJS.ProcessEnv,
  renamed: Readonly<Record<string, string>>,
): RenamedEnv {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const warnings: string[] = [];
  for (const [oldName, newName] of Object.entries(renamed)) {
    const oldValue = env[oldName];
    if (oldValue === undefined || oldValue === '') continue;
    const newValue = env[newName];
    if (newValue === undefined || newValue === '') {
      resolved[newName] = oldValue;
      warnings.push(`${oldName} is deprecated: rename it ${newName}`);
    } else {
      warnings.push(`${oldName} is ignored: ${newName} is set too; remove ${oldName}`);
    }
  }
  return { env: resolved, warnings };
}

/**
 * Variables renamed since a release, old name → new name. The old name keeps working (with a
 * warning at start) so that no deployment silently falls back to a default; docs/upgrading.md
 * lists each rename.
 */
export const RENAMED_ENV: Readonly<Record<string, string>> = {
  WORKER_CONCURRENCY: 'HERALD_WORKER_CONCURRENCY',
};

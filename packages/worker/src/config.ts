import {
  applyRenamedEnv,
  parseEnv,
  RENAMED_ENV,
  workerEnvSchema,
  type WorkerEnv,
} from '@herald/config';

/**
 * The worker's settings (the schema and every variable's description live in `@herald/config`):
 * routes, pacing and Slack webhooks arrive parsed, so a mistake in them is reported at start
 * with every other one, before any AWS call.
 */
export type WorkerConfig = WorkerEnv & {
  /** Old variable names still in use (see RENAMED_ENV); main.ts logs them at start. */
  configWarnings: string[];
};

/** Parses the worker's environment once, listing every problem; throws `CONFIG_INVALID`. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const renamed = applyRenamedEnv(env, RENAMED_ENV);
  return { ...parseEnv(workerEnvSchema, renamed.env, 'worker'), configWarnings: renamed.warnings };
}

/** `Herald <noreply@example.com>` → `example.com`. */
export function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  return match?.[1] ?? 'herald.local';
}

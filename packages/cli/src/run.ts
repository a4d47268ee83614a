import type { CliServices, Command } from './context';
import type { Env } from './config';
import { loadCliConfig } from './config';
import type { CliIo } from './io';
import { clientCommand } from './commands/client';
import { configCommand } from './commands/config';
import { dlqCommand } from './commands/dlq';
import { keysCommand } from './commands/keys';
import { listCommand } from './commands/list';
import { recipientsCommand } from './commands/recipients';
import { topicsCommand } from './commands/topics';
import { sendCommand } from './commands/send';
import { setupCommand } from './commands/setup';
import { statusCommand } from './commands/status';
import { cancelCommand } from './commands/cancel';
import { suppressionsCommand } from './commands/suppressions';
import { tokenCommand } from './commands/token';
import { vapidCommand } from './commands/vapid';
import { UsageError } from './args';
import { reportError } from './report-error';
import { openDynamoClientSettingsStore, openDynamoRevocationStore } from './table-store';
import { USAGE } from './usage';

// A Map, not an object literal: `herald constructor` must not find Object.prototype's.
const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ['keys', keysCommand],
  ['token', tokenCommand],
  ['send', sendCommand],
  ['status', statusCommand],
  ['cancel', cancelCommand],
  ['list', listCommand],
  ['recipients', recipientsCommand],
  ['topics', topicsCommand],
  ['suppressions', suppressionsCommand],
  ['setup', setupCommand],
  ['client', clientCommand],
  ['vapid', vapidCommand],
  ['dlq', dlqCommand],
]);

/** What `run` needs from the process; tests pass their own. */
export interface RunDeps {
  io: CliIo;
  /** Defaults to `process.env`. */
  env?: Env;
  /** Defaults to `process.cwd()`. */
  cwd?: string;
  services?: Partial<CliServices>;
}

/**
 * Runs one `herald` command line (without `node` and the script) and resolves to its exit code:
 * 0 on success, 1 when the command failed, 2 for a usage error. Never rejects: every failure is
 * printed to stderr.
 */
export async function run(argv: readonly string[], deps: RunDeps): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || argv.includes('--help') || argv.includes('-h')) {
    deps.io.out(USAGE);
    return 0;
  }
  try {
    // Needs no configuration of its own: it documents it, so it must work when that is wrong.
    if (name === 'config') {
      await configCommand(args, { io: deps.io, cwd: deps.cwd ?? process.cwd() });
      return 0;
    }
    const command = COMMANDS.get(name);
    if (command === undefined) throw new UsageError(`unknown command '${name}'`);
    const config = await loadCliConfig(deps.env, deps.cwd);
    await command(args, {
      io: deps.io,
      config,
      services: {
        now: () => new Date(),
        openRevocationStore: openDynamoRevocationStore,
        openClientSettingsStore: openDynamoClientSettingsStore,
        ...deps.services,
      },
    });
    return 0;
  } catch (err) {
    return reportError(err, deps.io);
  }
}

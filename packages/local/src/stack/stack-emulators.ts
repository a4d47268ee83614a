import { startEmulators, startEmulatorsProcess } from '@herald/emulators';
import type { EmulatorEndpoints, Emulators, EmulatorsProcess } from '@herald/emulators';
import type { EmulatorMode } from './stack-options';

/** The emulator child processes: the same one twice unless started `process-each`. */
export interface EmulatorProcesses {
  dynamodb: EmulatorsProcess;
  sqs: EmulatorsProcess;
}

/** The stack's running emulators, whichever way they run. */
export interface StackEmulators extends EmulatorEndpoints {
  /** The child processes (a test kills one; bench reads their memory); undefined in-process. */
  processes(): EmulatorProcesses | undefined;
  /**
   * Starts `which` again on its old port (and data dir) after it was killed or stopped; with one
   * process (or in this process), any `which` restarts both. fauxqs comes back empty: re-create
   * the queues.
   */
  restart(which: 'dynamodb' | 'sqs' | 'all'): Promise<void>;
  stop(): Promise<void>;
}

export interface StartStackEmulatorsOptions {
  mode: EmulatorMode;
  /** dynalite persists under `<dataDir>/dynamodb`; in memory when absent. */
  dataDir?: string;
  dynamodbPort: number;
  sqsPort: number;
}

/** Starts dynalite and fauxqs as `mode` says. */
export async function startStackEmulators(
  options: StartStackEmulatorsOptions,
): Promise<StackEmulators> {
  const dataDir = options.dataDir === undefined ? {} : { dataDir: options.dataDir };
  const ports = { dynamodbPort: options.dynamodbPort, sqsPort: options.sqsPort };
  if (options.mode === 'in-process')
    return inProcess(await startEmulators({ ...dataDir, ...ports }), dataDir);
  if (options.mode === 'process') {
    const both = await startEmulatorsProcess({ ...dataDir, ...ports });
    return inChildren({ dynamodb: both, sqs: both });
  }
  const [dynamodb, sqs] = await Promise.all([
    startEmulatorsProcess({ ...dataDir, dynamodbPort: ports.dynamodbPort, only: 'dynamodb' }),
    startEmulatorsProcess({ sqsPort: ports.sqsPort, only: 'sqs' }),
  ]);
  return inChildren({ dynamodb, sqs });
}

function inProcess(first: Emulators, dataDir: { dataDir?: string }): StackEmulators {
  let current = first;
  const ports = {
    dynamodbPort: Number(new URL(first.dynamodbEndpoint).port),
    sqsPort: Number(new URL(first.sqsEndpoint).port),
  };
  return {
    dynamodbEndpoint: first.dynamodbEndpoint,
    sqsEndpoint: first.sqsEndpoint,
    processes: () => undefined,
    async restart() {
      await current.stop();
      current = await startEmulators({ ...dataDir, ...ports });
    },
    stop: () => current.stop(),
  };
}

function inChildren(first: EmulatorProcesses): StackEmulators {
  let current = first;
  const shared = () => current.dynamodb === current.sqs;
  return {
    dynamodbEndpoint: first.dynamodb.dynamodbEndpoint,
    sqsEndpoint: first.sqs.sqsEndpoint,
    processes: () => current,
    async restart(which) {
      if (shared()) {
        const both = await current.dynamodb.restart();
        current = { dynamodb: both, sqs: both };
      } else if (which === 'all') {
        const [dynamodb, sqs] = await Promise.all([
          current.dynamodb.restart(),
          current.sqs.restart(),
        ]);
        current = { dynamodb, sqs };
      } else {
        current = { ...current, [which]: await current[which].restart() };
      }
    },
    async stop() {
      await Promise.all([...new Set([current.dynamodb, current.sqs])].map((p) => p.stop()));
    },
  };
}

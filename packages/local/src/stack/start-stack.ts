import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDynamoClientSettingsStore } from '@herald/aws';
import { createLocalAwsClients } from '../local-aws';
import type { NodeProcess } from '../node-process';
import { freePort } from './free-port';
import { apiListening, launchHerald, workerStarted } from './herald-process';
import type { LaunchOptions } from './herald-process';
import type { Stack } from './stack';
import { startStackEmulators } from './stack-emulators';
import type { StackEmulators } from './stack-emulators';
import { buildStackEnv } from './stack-env';
import { ensureStackKeys, issueStackToken } from './stack-keys';
import type { StackOptions } from './stack-options';
import { provisionStack } from './stack-resources';

const API_STOP_GRACE_MS = 10_000;
const RESTART_DELAY_MS = 1_000;

/**
 * Starts Herald on this machine, the one way local mode, tests, bench and soak do: the emulators
 * (see `emulators`), the resources (`resources`, `names`), keys under `<dataDir>/keys`, then the
 * built api and worker as child processes (`tsc -b` first), each awaited until it logs that it
 * listens / started. Resolves with the stack's endpoints, names, environment and controls.
 * Rejects, with everything it started stopped again, if any step fails.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'herald-stack-')));
  await mkdir(dataDir, { recursive: true });
  // Every api and worker started, with its stop grace, until it exits.
  const running = new Map<NodeProcess, number>();
  let emulators: StackEmulators | undefined;
  let destroyClients = () => {};
  const teardown = async () => {
    await Promise.all([...running].map(([p, graceMs]) => p.stop(graceMs)));
    destroyClients();
    await emulators?.stop();
    if (ownsDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    emulators = await startStackEmulators({
      mode: options.emulators ?? 'process',
      ...(options.persistData ? { dataDir } : {}),
      dynamodbPort: options.dynamodbPort ?? 0,
      sqsPort: options.sqsPort ?? 0,
    });
    const aws = createLocalAwsClients(emulators);
    destroyClients = () => {
      aws.dynamodb.destroy();
      aws.sqs.destroy();
      aws.sns.destroy();
    };
    const resources = await provisionStack(aws, {
      set: options.resources ?? 'herald',
      names: options.names ?? {},
      ...(options.visibilityTimeoutSeconds === undefined
        ? {}
        : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
      ...(options.maxReceiveCount === undefined
        ? {}
        : { maxReceiveCount: options.maxReceiveCount }),
    });
    const keys = await ensureStackKeys(dataDir);
    const fixedPort = options.publicUrl && !options.port ? await freePort() : (options.port ?? 0);
    const built = buildStackEnv({
      emulators,
      resources,
      keys,
      dataDir,
      statusEvents: options.statusEvents ?? false,
      localMode: options.localMode ?? false,
      port: fixedPort,
      ...(options.smtpUrl === undefined ? {} : { smtpUrl: options.smtpUrl }),
      ...(options.publicUrl ? { publicUrl: `http://127.0.0.1:${fixedPort}` } : {}),
    });
    const env: NodeJS.ProcessEnv = { ...built.shared, ...options.env };
    const output = options.output ?? 'keep';
    let stopping = false;

    const workerGraceMs = options.workerStopGraceMs ?? API_STOP_GRACE_MS;
    const track = (proc: NodeProcess, graceMs: number) => {
      running.set(proc, graceMs);
      void proc.exited.then(() => running.delete(proc));
      return proc;
    };
    // `pnpm start`'s supervision: a process that exits without being stopped comes back.
    const superviseAs = (
      kind: 'api' | 'worker',
      proc: NodeProcess,
      relaunch: () => Promise<NodeProcess>,
    ) => {
      if (!options.restartOnCrash) return;
      void proc.exited.then(({ code, signal }) => {
        if (stopping || stack[kind] !== proc) return;
        options.logger?.warn(
          { process: proc.name, code, signal },
          'process exited unexpectedly; restarting in 1 s',
        );
        setTimeout(() => {
          if (stopping) return;
          relaunch().then(
            (next) => {
              stack[kind] = next;
              superviseAs(kind, next, relaunch);
            },
            (err: unknown) => options.logger?.error({ process: proc.name, err }, 'restart failed'),
          );
        }, RESTART_DELAY_MS);
      });
    };

    const launchApi = async (extraEnv: NodeJS.ProcessEnv = {}, launch: LaunchOptions = {}) => {
      const proc = track(
        launchHerald('api', { ...env, ...built.api, ...options.apiEnv, ...extraEnv }, output, {
          ...launch,
          execArgv: [...(options.apiExecArgv ?? []), ...(launch.execArgv ?? [])],
        }),
        API_STOP_GRACE_MS,
      );
      return { process: proc, port: await apiListening(proc) };
    };
    const launchWorker = async (extraEnv: NodeJS.ProcessEnv = {}, launch: LaunchOptions = {}) => {
      const proc = track(
        launchHerald(
          'worker',
          { ...env, ...built.worker, ...options.workerEnv, ...extraEnv },
          output,
          {
            ...launch,
            execArgv: [...(options.workerExecArgv ?? []), ...(launch.execArgv ?? [])],
          },
        ),
        workerGraceMs,
      );
      await workerStarted(proc);
      return proc;
    };

    const [first, firstWorker] = await Promise.all([
      launchApi(),
      options.worker === false ? undefined : launchWorker(),
    ]);
    const apiPort = first.port;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    env.HERALD_API_URL ??= apiUrl;
    const restartApiProcess = async (extraEnv: NodeJS.ProcessEnv = {}) =>
      (await launchApi({ PORT: String(apiPort), ...extraEnv })).process;
    const clientSettings = createDynamoClientSettingsStore({
      doc: aws.doc,
      tableName: resources.tableName,
    });
    const runningEmulators = emulators;

    const stack: Stack = {
      apiUrl,
      api: first.process,
      worker: firstWorker,
      env,
      dynamodbEndpoint: emulators.dynamodbEndpoint,
      sqsEndpoint: emulators.sqsEndpoint,
      resources,
      aws,
      keys,
      keysDir: keys.keysDir,
      dataDir,
      emulatorProcesses: () => runningEmulators.processes(),
      issueToken: (clientId, scopes, ttlSeconds) =>
        issueStackToken(keys, clientId, scopes, ttlSeconds),
      provision: (names) => provisionStack(aws, { set: 'herald', names }),
      setClientSettings: (clientId, change) => clientSettings.set(clientId, change),
      startWorker: launchWorker,
      async startApi(extraEnv = {}, launch = {}) {
        const started = await launchApi({ PORT: '0', ...extraEnv }, launch);
        return { process: started.process, url: `http://127.0.0.1:${started.port}` };
      },
      async restartApi(extraEnv = {}) {
        stack.api = await restartApiProcess(extraEnv);
        superviseAs('api', stack.api, () => restartApiProcess(extraEnv));
        return stack.api;
      },
      restartEmulators: (which) => runningEmulators.restart(which),
      async stop() {
        if (stopping) return;
        stopping = true;
        await teardown();
      },
    };
    superviseAs('api', stack.api, () => restartApiProcess());
    if (stack.worker !== undefined) superviseAs('worker', stack.worker, () => launchWorker());
    return stack;
  } catch (err) {
    await teardown();
    throw err;
  }
}

import { cpuCounters, cpuSeconds, type CpuCounters } from '@herald/local';
import { runLoad } from '../load/run-load';
import type { LoadOptions } from '../load/load-options';
import type { CpuPerRequest, HttpFigure } from '../report/results';
import type { BenchContext } from './context';
import { httpRun, runDuration } from './loads';
import { repeated } from './repeated';
import { emulatorPids } from './stack';

interface CpuReading {
  api: number | undefined;
  dynamodb: number | undefined;
  sqs: number | undefined;
  machine: CpuCounters | undefined;
}

interface CpuTotals {
  api: number;
  dynamodb: number;
  sqs: number;
  requests: number;
  machineTotal: number;
  machineIdle: number;
}

/** CPU used so far by the api and each emulator (seconds), and the machine's counters. */
function cpuOf(ctx: BenchContext): CpuReading {
  const seconds = (pid: number | undefined) => (pid === undefined ? undefined : cpuSeconds(pid));
  const emulators = emulatorPids(ctx.stack);
  return {
    api: seconds(ctx.stack.api.pid),
    dynamodb: seconds(emulators.dynamodb),
    sqs: seconds(emulators.sqs),
    machine: cpuCounters(),
  };
}

function addCpu(acc: CpuTotals, before: CpuReading, after: CpuReading, requests: number): void {
  for (const k of ['api', 'dynamodb', 'sqs'] as const) {
    acc[k] += (after[k] ?? NaN) - (before[k] ?? NaN);
  }
  acc.requests += requests;
  if (before.machine && after.machine) {
    acc.machineTotal += after.machine.total - before.machine.total;
    acc.machineIdle += after.machine.idle - before.machine.idle;
  }
}

function perRequest(acc: CpuTotals): CpuPerRequest {
  const ms = (s: number) => (1000 * s) / Math.max(1, acc.requests);
  return { api: ms(acc.api), dynamodb: ms(acc.dynamodb), sqs: ms(acc.sqs) };
}

/**
 * A warm-up and the repeats of one load, like `httpRuns`, also counting the CPU the api and the
 * emulators spend per request and how busy the whole machine is meanwhile: the evidence for what
 * bounds a figure (a saturated api core, or two cores shared by everything).
 */
export async function cpuCountedRuns(
  ctx: BenchContext,
  name: string,
  opts: LoadOptions,
  { warmup = true }: { warmup?: boolean } = {},
): Promise<Omit<HttpFigure, 'label'>> {
  const cpu: CpuTotals = {
    api: 0,
    dynamodb: 0,
    sqs: 0,
    requests: 0,
    machineTotal: 0,
    machineIdle: 0,
  };
  const figure = await repeated(
    ctx,
    name,
    async ({ warmup: warming }) => {
      const before = cpuOf(ctx);
      const r = await runLoad({ ...opts, duration: runDuration(ctx, warming) });
      if (!warming) addCpu(cpu, before, cpuOf(ctx), r.total);
      return httpRun(r);
    },
    { warmup },
  );
  return {
    ...figure,
    cpuMsPerRequest: perRequest(cpu),
    ...(cpu.machineTotal > 0
      ? { machineBusyPercent: (100 * (cpu.machineTotal - cpu.machineIdle)) / cpu.machineTotal }
      : {}),
  };
}

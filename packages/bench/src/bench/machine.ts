import { arch, cpus, platform, release, totalmem } from 'node:os';
import type { MachineInfo } from '../report/results';

/** The machine the run is made on (CPU steal and idle are added at the end of the run). */
export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}

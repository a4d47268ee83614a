import { readFileSync } from 'node:fs';

/** Resident set size of a process in MB, from /proc (Linux); undefined once it has exited. */
export function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Machine-wide CPU time counters from /proc/stat, in jiffies. */
export interface CpuCounters {
  total: number;
  /** Stolen by the hypervisor. */
  steal: number;
  idle: number;
}

export function cpuCounters(): CpuCounters | undefined {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const n = first.trim().split(/\s+/).slice(1).map(Number);
    const at = (i: number) => n[i] ?? 0;
    return {
      total: n.slice(0, 8).reduce((a, b) => a + b, 0),
      steal: at(7),
      idle: at(3) + at(4),
    };
  } catch {
    return undefined;
  }
}

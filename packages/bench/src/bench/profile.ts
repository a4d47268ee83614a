/**
 * Summarises a V8 `.cpuprofile` (node --cpu-prof) as text: where the CPU time went, by package
 * and by function (self time). Used to show what bounds a figure that misses its target.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native / GC / idle)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm?.[1]) return pnpm[1];
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  const herald = /packages\/([^/]+)\//.exec(url);
  if (herald?.[1]) return `@herald/${herald[1]}`;
  if (url.startsWith('node:')) return 'node core';
  return url;
}

/** Self time per node, in ms, aggregated by `keyOf(callFrame)`. */
function selfTimes(profile: CpuProfile, keyOf: (frame: CallFrame) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((sample, i) => {
    const node = byId.get(sample);
    if (node === undefined) return;
    const key = keyOf(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

function table(totals: Map<string, number>, top: number): string {
  const all = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  const sum = all.reduce((s, [, v]) => s + v, 0);
  return all
    .slice(0, top)
    .map(([k, v]) => `${((100 * v) / sum).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
}

/** Text summary of a profile file: top packages and top functions by self time. */
export function summariseProfile(file: string, { top = 15 }: { top?: number } = {}): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byPackage = selfTimes(profile, (f) =>
    f.functionName === '(idle)'
      ? '(idle)'
      : f.functionName === '(garbage collector)'
        ? '(gc)'
        : packageOf(f.url),
  );
  const byFunction = selfTimes(
    profile,
    (f) =>
      `${f.functionName || '(anonymous)'} ${packageOf(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`,
  );
  return `By package (self time):\n${table(byPackage, top)}\n\nBy function (self time):\n${table(byFunction, top)}`;
}

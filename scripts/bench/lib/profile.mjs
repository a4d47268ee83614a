/**
 * Summarises a V8 `.cpuprofile` (node --cpu-prof) as text: where the CPU time went, by package
 * and by function (self time). Used to show what bounds a figure that misses its target.
 */
import { readFileSync } from 'node:fs';

function packageOf(url) {
  if (!url) return '(native / GC / idle)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1];
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const herald = /packages\/([^/]+)\//.exec(url);
  if (herald) return `@herald/${herald[1]}`;
  if (url.startsWith('node:')) return 'node core';
  return url;
}

/** Self time per node, in ms, aggregated by `keyOf(callFrame)`. */
function selfTimes(profile, keyOf) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map();
  const dts = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const key = keyOf(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + (dts[i] ?? 0) / 1000);
  }
  return totals;
}

function table(totals, top) {
  const all = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  const sum = all.reduce((s, [, v]) => s + v, 0);
  return all
    .slice(0, top)
    .map(([k, v]) => `${((100 * v) / sum).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
}

/** Text summary: top packages and top functions by self time, idle excluded from neither. */
export function summariseProfile(file, { top = 15 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
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

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(
    `${summariseProfile(process.argv[2], { top: Number(process.argv[3] ?? 25) })}\n`,
  );
}

/** Inclusive ("total") time per function name matching `filter`, for digging into one path. */
export function inclusiveTimes(file, filter) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    all += dt;
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame;
      const key = `${f.functionName || '(anonymous)'} ${packageOf(f.url)}:${f.lineNumber + 1}`;
      if (!filter(key) || seen.has(key)) continue;
      seen.add(key);
      totals.set(key, (totals.get(key) ?? 0) + dt);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`);
}

/**
 * `pnpm bench --merge`: a run of some phases added to the results of an earlier full run. Only
 * the figures of the phases run now are replaced (when they were measured: a phase that failed
 * now keeps its earlier figure); every other figure stays, and `mergedFrom` says which phases
 * came from which run, so the report can say so. A pure function of the two results objects.
 */
import type { BenchResults, BenchSettings, MergedFrom, ReportInput } from './results';

type Results = NonNullable<ReportInput>;
type Path = readonly string[];

/** The load phases share the api's and the worker's peak RSS, sampled while any of them runs. */
const LOAD_PEAKS: Path[] = [
  ['memory', 'apiPeakMb'],
  ['memory', 'workerPeakMb'],
];

/** Where each phase (as `--phases` names it) writes its figures in the results. */
export const PHASE_FIGURES: Readonly<Record<string, readonly Path[]>> = {
  B: [['http', 'B'], ...LOAD_PEAKS],
  Ingest: [['http', 'ingest'], ...LOAD_PEAKS],
  S: [['S'], ['Sunbatched'], ['floor']],
  Naive: [['http', 'naive'], ...LOAD_PEAKS],
  'Status GET and long-poll': [['http', 'statusGet'], ['http', 'longPoll'], ...LOAD_PEAKS],
  'Half of peak': [['http', 'ingestHalf'], ['http', 'statusHalf'], ...LOAD_PEAKS],
  Worker: [['worker'], ...LOAD_PEAKS],
  'Hand-off': [['handoff'], ['handoffSoloHalf'], ...LOAD_PEAKS],
  'Fan-out': [['fanOut']],
  Scheduled: [['scheduled']],
  Cost: [['cost'], ['costBurst'], ['costTuned']],
  Backlog: [
    ['memory', 'apiIdleMb'],
    ['memory', 'workerIdleMb'],
    ['memory', 'apiBacklog'],
    ['memory', 'workerBacklog'],
    ['memory', 'backlogDrainPerSec'],
  ],
  Profile: [['profiles']],
};

/** The settings each phase is measured with (the rest describe the earlier run). */
const PHASE_SETTINGS: Readonly<Record<string, readonly (keyof BenchSettings)[]>> = {
  Worker: ['workerMessages', 'workerConcurrency'],
  'Fan-out': ['fanOut'],
  Scheduled: ['scheduled'],
  Cost: ['costNotifications'],
  Backlog: ['backlog'],
};

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function get(tree: unknown, path: Path): unknown {
  let at = tree;
  for (const key of path) at = isTree(at) ? at[key] : undefined;
  return at;
}

function set(tree: Tree, path: Path, value: unknown): void {
  let at = tree;
  path.slice(0, -1).forEach((key) => {
    const next = at[key];
    at = isTree(next) ? next : (at[key] = {});
  });
  const last = path[path.length - 1];
  if (last !== undefined) at[last] = value;
}

const measured = (v: unknown) =>
  v !== undefined &&
  !(Array.isArray(v) && v.length === 0) &&
  !(isTree(v) && !Object.keys(v).length);

/**
 * `current` (a run of the phases `ran`, by their names in {@link PHASE_FIGURES}) merged into
 * `previous`: the run's own facts (start, command, machine, versions, duration) are `current`'s;
 * the figures of `ran` are `current`'s where measured; the rest, with their failures and notes,
 * are `previous`'s, and `mergedFrom` names them with the run they come from.
 */
export function mergeResults(previous: Results, current: BenchResults, ran: readonly string[]) {
  const merged = structuredClone(previous) as Tree;
  const now = current as unknown as Tree;
  for (const key of ['startedAt', 'command', 'machine', 'versions', 'durationS']) {
    merged[key] = now[key];
  }
  for (const phase of ran) {
    for (const path of PHASE_FIGURES[phase] ?? []) {
      const value = get(now, path);
      if (measured(value)) set(merged, path, structuredClone(value));
    }
  }
  const settings: Tree = { ...(isTree(previous.settings) ? previous.settings : {}) };
  for (const phase of ran) {
    for (const key of PHASE_SETTINGS[phase] ?? []) settings[key] = current.settings[key];
  }
  merged.settings = settings;
  // Kept: a phase not run now, or run now without a figure (it failed), that the earlier run had.
  const has = (results: unknown, phase: string) =>
    (PHASE_FIGURES[phase] ?? []).some((path) => measured(get(results, path)));
  const keptPhases = Object.keys(PHASE_FIGURES).filter(
    (p) => has(previous, p) && !(ran.includes(p) && has(current, p)),
  );
  merged.mergedFrom = mergedFrom(previous, keptPhases);
  const prevFailures = (previous.failures ?? []).filter(
    (f) => f?.phase !== undefined && !ran.includes(f.phase),
  );
  merged.failures = [...prevFailures, ...(current.failures ?? [])];
  const when = previous.startedAt ?? 'an earlier run';
  const prevNotes = (previous.notes ?? []).map((n) => `(From the run of ${when}.) ${n ?? ''}`);
  merged.notes = [...current.notes, ...prevNotes];
  delete merged.targets;
  return merged as ReportInput & Tree;
}

/** Who measured the phases kept: the earlier run itself, or the runs it had merged in. */
function mergedFrom(previous: Results, kept: readonly string[]): MergedFrom[] {
  const byRun: MergedFrom[] = [];
  const older = (previous.mergedFrom ?? []).flatMap((m) =>
    m?.phases && m.startedAt && m.command
      ? [{ ...m, phases: m.phases.filter((p): p is string => p !== undefined) }]
      : [],
  );
  const olderPhases = new Set(older.flatMap((m) => m.phases));
  for (const m of older) {
    const phases = m.phases.filter((p) => kept.includes(p));
    if (phases.length) byRun.push({ ...(m as MergedFrom), phases });
  }
  const own = kept.filter((p) => !olderPhases.has(p));
  if (own.length) {
    byRun.push({
      phases: own,
      startedAt: previous.startedAt ?? 'unknown',
      command: previous.command ?? 'pnpm bench',
      ...(previous.versions?.herald ? { herald: previous.versions.herald } : {}),
    });
  }
  return byRun;
}

/**
 * benchmarks-latency.svg: the latency percentiles (median of runs) of every latency figure on a
 * log scale, built by hand so the report needs no charting dependency. A pure function of the
 * results; figures with no data are left out.
 */
import { fmtInt, fmtMs, isNum, med, type FigureLike } from './format';
import type { ReportInput } from './results';

type Results = NonNullable<ReportInput>;

const esc = (s: unknown): string =>
  String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** Coordinates to 0.1 px: enough for a chart, and keeps the file small and diffable. */
const px = (v: number): string => String(Math.round(v * 10) / 10);

const PERCENTILES = [
  { field: 'p50', label: 'p50', color: '#9ecae1' },
  { field: 'p90', label: 'p90', color: '#4292c6' },
  { field: 'p99', label: 'p99', color: '#08519c' },
  { field: 'p999', label: 'p99.9', color: '#e6550d' },
];

type ChartFigure = FigureLike & { readonly label?: unknown };

/** Short x-axis labels: nine groups share ~800 px, so each label has room for ~13 characters. */
const CHART_FIGURES: [string, (r: Results) => ChartFigure | undefined][] = [
  ['B', (r) => r.http?.B],
  ['Ingest', (r) => r.http?.ingest],
  ['Naive', (r) => r.http?.naive],
  ['S', (r) => r.S],
  ['Status GET', (r) => r.http?.statusGet],
  ['Long-poll', (r) => r.http?.longPoll],
  ['Ingest ½ peak', (r) => r.http?.ingestHalf],
  ['Status ½ peak', (r) => r.http?.statusHalf],
  ['Hand-off', (r) => r.handoff],
];

interface Bars {
  short: string;
  label: unknown;
  values: (number | undefined)[];
}

function chartFigures(r: Results): Bars[] {
  return CHART_FIGURES.map(([short, pick]) => {
    const fig = pick(r);
    const values = PERCENTILES.map((p) => med(fig, p.field));
    return { short, label: fig?.label ?? short, values };
  }).filter((f) => f.values.some(isNum));
}

interface Range {
  lo: number;
  hi: number;
}

/** Whole decades around the data; clamped so one odd value cannot stretch the axis absurdly. */
function logRange(figures: readonly Bars[]): Range {
  const positive = figures.flatMap((f) => f.values).filter((v): v is number => isNum(v) && v > 0);
  if (positive.length === 0) return { lo: -1, hi: 3 };
  // Start a little below the smallest value so its bar is still visible.
  const lo = Math.max(-3, Math.floor(Math.log10(Math.min(...positive)) - 0.05));
  const hi = Math.min(7, Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive)))));
  return { lo, hi };
}

const decadeLabel = (k: number): string => (k < 0 ? (10 ** k).toFixed(-k) : fmtInt(10 ** k));

const CHART = { width: 900, height: 470, left: 72, right: 20, top: 78, bottom: 96 };
const FONT = 'font-family="system-ui, -apple-system, \'Segoe UI\', Helvetica, Arial, sans-serif"';

interface Plot {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}
type Scale = (v: number) => number;

function yAxis(plot: Plot, { lo, hi }: Range, y: Scale): string[] {
  const out: string[] = [];
  for (let k = lo; k <= hi; k++) {
    for (let m = 2; m <= 9 && k < hi; m++) {
      const yy = px(y(m * 10 ** k));
      out.push(`<line x1="${plot.x0}" x2="${plot.x1}" y1="${yy}" y2="${yy}" stroke="#f0f0f0"/>`);
    }
    const yy = px(y(10 ** k));
    out.push(`<line x1="${plot.x0}" x2="${plot.x1}" y1="${yy}" y2="${yy}" stroke="#d0d0d0"/>`);
    out.push(
      `<text x="${plot.x0 - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">` +
        `${esc(decadeLabel(k))}</text>`,
    );
  }
  const midY = px((plot.y0 + plot.y1) / 2);
  out.push(
    `<text x="18" y="${midY}" text-anchor="middle" transform="rotate(-90 18 ${midY})">` +
      'latency, ms (log scale)</text>',
  );
  return out;
}

function bars(plot: Plot, figures: readonly Bars[], { lo }: Range, y: Scale): string[] {
  const groupW = (plot.x1 - plot.x0) / figures.length;
  const barW = Math.min(18, (groupW * 0.8) / PERCENTILES.length);
  const out: string[] = [];
  figures.forEach((f, g) => {
    const cx = plot.x0 + groupW * (g + 0.5);
    const start = cx - (barW * PERCENTILES.length) / 2;
    PERCENTILES.forEach((p, i) => {
      const v = f.values[i];
      if (!isNum(v)) return;
      // Values at or below the axis floor (a 0 ms percentile) still get a 2 px stub to show up.
      const top = Math.min(y(Math.max(v, 10 ** lo)), plot.y1 - 2);
      const tip = `${String(f.label)} ${p.label}: ${fmtMs(v)} ms`;
      out.push(
        `<rect x="${px(start + i * barW)}" y="${px(top)}" width="${px(barW - 1)}"` +
          ` height="${px(plot.y1 - top)}" fill="${p.color}"><title>${esc(tip)}</title></rect>`,
      );
    });
    out.push(xLabel(f.short, cx, plot.y1 + 20, groupW - 6));
  });
  return out;
}

/** Rough width of 13 px sans-serif text: good enough to decide whether a label must wrap. */
const textWidth = (s: string): number => [...s].length * 13 * 0.6;

/** An x-axis label, on two lines if it is wider than its group (e.g. 'Status ½ peak'). */
function xLabel(label: string, cx: number, y: number, room: number): string {
  const words = label.split(' ');
  if (textWidth(label) <= room || words.length < 2) {
    return `<text x="${px(cx)}" y="${y}" text-anchor="middle">${esc(label)}</text>`;
  }
  // Break at the space that leaves the longer line shortest.
  let best = 1;
  const longer = (i: number) =>
    Math.max(words.slice(0, i).join(' ').length, words.slice(i).join(' ').length);
  for (let i = 2; i < words.length; i++) if (longer(i) < longer(best)) best = i;
  const lines = [words.slice(0, best).join(' '), words.slice(best).join(' ')];
  const tspans = lines.map(
    (line, i) => `<tspan x="${px(cx)}" dy="${i === 0 ? 0 : 15}">${esc(line)}</tspan>`,
  );
  return `<text x="${px(cx)}" y="${y}" text-anchor="middle">${tspans.join('')}</text>`;
}

function legend(plot: Plot): string[] {
  return PERCENTILES.map((p, i) => {
    const x = plot.x0 + i * 90;
    return (
      `<rect x="${x}" y="44" width="14" height="14" fill="${p.color}"/>` +
      `<text x="${x + 20}" y="51" dominant-baseline="middle">${esc(p.label)}</text>`
    );
  });
}

/** The latency chart (SVG text) for `results`. */
export function renderChartSvg(results: ReportInput): string {
  const r = results ?? {};
  const { width, height } = CHART;
  const plot: Plot = {
    x0: CHART.left,
    x1: width - CHART.right,
    y0: CHART.top,
    y1: height - CHART.bottom,
  };
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"` +
      ` viewBox="0 0 ${width} ${height}" ${FONT} font-size="13" fill="#222">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${plot.x0}" y="28" font-size="17" font-weight="bold">` +
      'Latency percentiles (median of runs), ms</text>',
  ];
  const figures = chartFigures(r);
  if (figures.length === 0) {
    out.push(`<text x="${plot.x0}" y="${plot.y0 + 40}">No latency figures were measured.</text>`);
  } else {
    const range = logRange(figures);
    const y: Scale = (v) =>
      plot.y1 - ((Math.log10(v) - range.lo) / (range.hi - range.lo)) * (plot.y1 - plot.y0);
    out.push(
      ...legend(plot),
      ...yAxis(plot, range, y),
      ...bars(plot, figures, range, y),
      `<line x1="${plot.x0}" x2="${plot.x1}" y1="${plot.y1}" y2="${plot.y1}" stroke="#888"/>`,
      `<line x1="${plot.x0}" x2="${plot.x0}" y1="${plot.y0}" y2="${plot.y1}" stroke="#888"/>`,
      `<text x="${px((plot.x0 + plot.x1) / 2)}" y="${plot.y1 + 58}" text-anchor="middle">` +
        'figure</text>',
      `<text x="${plot.x0}" y="${height - 14}" font-size="11" fill="#555">` +
        esc(
          '½ peak: fixed rate at half of the measured peak. S: per SDK-loop iteration.' +
            ' Hand-off: 202 → provider sink. Missing bars were not measured.',
        ) +
        '</text>',
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

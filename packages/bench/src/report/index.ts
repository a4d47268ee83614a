/** The bench report: the results' shape, the target verdicts, BENCHMARKS.md and the chart. */
export type * from './results';
export { renderChartSvg } from './chart';
export { renderMarkdown } from './markdown';
export { explainMisses } from './notes';
export { evaluateTargets } from './targets';
export { renderReport, writeReport } from './write-report';
export type { RenderedReport } from './write-report';

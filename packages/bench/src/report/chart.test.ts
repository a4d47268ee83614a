import { fullResults, httpRuns } from '../testing-report';
import { renderChartSvg } from './chart';

/** Tags open and close in order: enough to catch a broken hand-built SVG without a parser. */
function assertBalancedXml(svg: string): void {
  const stack: string[] = [];
  for (const [, closing, name = '', selfClosing] of svg.matchAll(
    /<(\/?)([A-Za-z][\w:-]*)[^<>]*?(\/?)>/g,
  )) {
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  // Nothing outside tags may contain a raw '<' or an unescaped '&'.
  const text = svg.replace(/<[^<>]*>/g, '');
  expect(text).not.toMatch(/</);
  expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
}

/** The text of each <text> element, tspans (wrapped lines) joined by a space. */
const svgTexts = (svg: string): string[] =>
  [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map(([, inner = '']) =>
    inner.includes('<tspan')
      ? [...inner.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map(([, t = '']) => t).join(' ')
      : inner,
  );

describe('renderChartSvg', () => {
  const labels = [
    'B',
    'Ingest',
    'Naive',
    'S',
    'Status GET',
    'Long-poll',
    'Ingest ½ peak',
    'Status ½ peak',
    'Hand-off',
  ];

  it('draws every figure of a full result', () => {
    const svg = renderChartSvg(fullResults());
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    assertBalancedXml(svg);
    expect(svg).toMatch(/Latency percentiles \(median of runs\), ms/);
    const texts = svgTexts(svg);
    for (const label of labels) expect(texts).toContain(label);
    for (const p of ['p50', 'p90', 'p99', 'p99.9']) expect(texts).toContain(p);
    // The data spans 0.8 ms … 2,100 ms: decades 0.1 … 10,000.
    expect(svg).toMatch(/>0\.1<\/text>/);
    expect(svg).toMatch(/>10,000<\/text>/);
    // The label from the data is escaped in the tooltip.
    expect(svg.includes('?waitSeconds=&lt;2&gt;&amp;x p50')).toBe(true);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('skips figures with no data', () => {
    const svg = renderChartSvg({ http: { ingest: httpRuns(1000, 0, 3, 9, 20) } });
    assertBalancedXml(svg);
    const texts = svgTexts(svg);
    expect(texts).toContain('Ingest');
    expect(texts).not.toContain('Naive');
    expect(texts).not.toContain('Hand-off');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('still renders a valid SVG with nothing measured', () => {
    const svg = renderChartSvg({});
    expect(svg.startsWith('<svg')).toBe(true);
    assertBalancedXml(svg);
    expect(svg).toMatch(/No latency figures/);
  });
});

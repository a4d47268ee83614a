// Run: node --test scripts/bench/lib/report.test.mjs
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateTargets, renderChartSvg, renderMarkdown } from './report.mjs';

const httpRuns = (rps, p50, p90, p99, p999, extra = {}) => {
  const runs = [0.98, 1, 1.02].map((k) => ({
    rps: rps * k,
    p50: p50 * k,
    p90: p90 * k,
    p99: p99 * k,
    p999: p999 * k,
    errors: 0,
    non2xx: 0,
  }));
  return { runs, median: { ...runs[1] }, ...extra };
};

const workerRuns = (perSec) => {
  const runs = [0.95, 1, 1.05].map((k) => ({
    perSec: perSec * k,
    delivered: 3000,
    seconds: 3000 / (perSec * k),
  }));
  return { runs, median: { perSec } };
};

/** Every figure present; targets chosen so some are met and some are not. */
function fullResults() {
  return {
    startedAt: '2026-11-22T03:00:00.000Z',
    durationS: 812,
    command: 'pnpm bench',
    machine: {
      cpus: 2,
      cpuModel: 'Test CPU @ 3 GHz',
      memGiB: 24,
      os: 'Linux 6.1 x64',
      node: 'v20.20.2',
    },
    versions: {
      herald: 'abc1234',
      autocannon: '8.0.0',
      dynalite: '4.0.0',
      fauxqs: '1.9.2',
      awsSdk: '3.x',
      express: '5.x',
      sqsConsumer: '14.2.8',
    },
    settings: {
      connections: 50,
      durationS: 10,
      warmupS: 3,
      repeats: 3,
      workerMessages: 3000,
      backlog: 100000,
    },
    http: {
      B: { label: 'B — bare node:http hello world', ...httpRuns(20000, 2, 3, 5, 9) },
      ingest: { label: 'Ingest — POST /v1/notifications', ...httpRuns(1200, 35, 50, 80, 120) },
      naive: {
        label: 'Naive — express + PutItem + SendMessage',
        ...httpRuns(700, 60, 90, 140, 200),
      },
      statusGet: { label: 'Status GET', ...httpRuns(3000, 14, 20, 30, 45) },
      longPoll: {
        label: 'Long-poll GET ?waitSeconds=<2>&x',
        ...httpRuns(25, 1900, 2000, 2050, 2100),
      },
      ingestHalf: { label: 'Ingest at half of peak', rate: 600, ...httpRuns(600, 4, 8, 18, 30) },
      statusHalf: {
        label: 'Status GET at half of peak',
        rate: 1500,
        ...httpRuns(1500, 3, 6, 16, 22),
      },
    },
    S: { label: 'S — bare AWS SDK loop', ...httpRuns(1300, 0.8, 1.2, 2.5, 4) },
    worker: {
      herald: { label: 'Herald worker', ...workerRuns(900) },
      bare: { label: 'Bare ReceiveMessage(10) + DeleteMessageBatch loop', ...workerRuns(950) },
      sqsConsumer: { label: 'sqs-consumer version', ...workerRuns(700) },
    },
    handoff: {
      rate: 600,
      runs: [
        { p50: 20, p90: 40, p99: 200, max: 400, count: 6000 },
        { p50: 22, p90: 45, p99: 300, max: 500, count: 6000 },
        { p50: 25, p90: 50, p99: 320, max: 700, count: 6000 },
      ],
      median: { p50: 22, p90: 45, p99: 300, max: 500, count: 6000 },
      peaks: { endToEnd: 1200, ingest: 1300, worker: 900 },
    },
    handoffSoloHalf: {
      rate: 450,
      runs: [{ p50: 80, p90: 160, p99: 400, max: 600, count: 4500 }],
      median: { p50: 80, p90: 160, p99: 400, max: 600, count: 4500 },
    },
    cost: {
      rate: 600,
      notifications: 2000,
      perNotification: {
        dynamoWcuTable: 2,
        dynamoWcuIndexes: 0.5,
        dynamoWcuTotal: 2.5,
        dynamoRcu: 1,
        sqsRequests: 0.375,
        snsPublishes: 0,
      },
      calls: { 'DynamoDB.PutItem': 2000, 'SQS.SendMessageBatch': 250, 'SQS.ReceiveMessage': 250 },
      pricesUsd: {
        perMillionWrites: 0.625,
        perMillionReads: 0.125,
        perMillionSqs: 0.4,
        perMillionSnsPublishes: 0.5,
        region: 'us-east-1',
        asOf: '2026-11-01',
      },
      usdPerMillion: { dynamoWrites: 1.5625, dynamoReads: 0.125, sqs: 0.15, sns: 0, total: 1.8375 },
    },
    costBurst: {
      notifications: 2000,
      perNotification: {
        dynamoWcuTable: 2,
        dynamoWcuIndexes: 0.5,
        dynamoWcuTotal: 2.5,
        dynamoRcu: 1,
        sqsRequests: 0.125,
        snsPublishes: 0,
      },
      calls: { 'DynamoDB.PutItem': 2000, 'SQS.SendMessageBatch': 250, 'SQS.ReceiveMessage': 250 },
      pricesUsd: {
        perMillionWrites: 0.625,
        perMillionReads: 0.125,
        perMillionSqs: 0.4,
        perMillionSnsPublishes: 0.5,
        region: 'us-east-1',
        asOf: '2026-11-01',
      },
      usdPerMillion: { dynamoWrites: 1.5625, dynamoReads: 0.125, sqs: 0.15, sns: 0, total: 1.8375 },
    },
    memory: {
      apiPeakMb: 150,
      workerPeakMb: 120,
      apiBacklog: [
        { backlog: 25000, rssMb: 140 },
        { backlog: 50000, rssMb: 160 },
        { backlog: 100000, rssMb: 210 },
      ],
      workerBacklog: [
        { remaining: 100000, rssMb: 110 },
        { remaining: 50000, rssMb: 118 },
        { remaining: 0, rssMb: 125 },
      ],
    },
    profiles: [
      {
        title: 'Ingest: where the api CPU goes',
        text: 'self  total  name\n 40%   60%  ```tricky```\n',
      },
    ],
    notes: ['First note.', 'A note | with a pipe\nand a second line.'],
  };
}

const byName = (targets) => Object.fromEntries(targets.map((t) => [t.name, t]));

/** Tags open and close in order: enough to catch a broken hand-built SVG without a parser. */
function assertBalancedXml(svg) {
  const stack = [];
  for (const [tag, closing, name, selfClosing] of svg.matchAll(
    /<(\/?)([A-Za-z][\w:-]*)[^<>]*?(\/?)>/g,
  )) {
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `unbalanced ${tag}`);
    else stack.push(name);
  }
  assert.deepEqual(stack, []);
  // Nothing outside tags may contain a raw '<' or an unescaped '&'.
  const text = svg.replace(/<[^<>]*>/g, '');
  assert.doesNotMatch(text, /</);
  assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos);)/);
}

/** The text of each <text> element, tspans (wrapped lines) joined by a space. */
const svgTexts = (svg) =>
  [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map(([, inner]) =>
    inner.includes('<tspan')
      ? [...inner.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map(([, t]) => t).join(' ')
      : inner,
  );

describe('evaluateTargets', () => {
  it('evaluates all 16 targets from a full result', () => {
    const targets = evaluateTargets(fullResults());
    assert.equal(targets.length, 16);
    for (const t of targets) {
      assert.equal(typeof t.name, 'string');
      assert.equal(typeof t.target, 'string');
      assert.equal(typeof t.value, 'string');
      assert.equal(typeof t.note, 'string');
    }
    const t = byName(targets);
    // 1,200 ≥ 0.9 × 1,300 = 1,170
    assert.equal(t['Ingest vs bare SDK loop'].met, true);
    assert.equal(t['Ingest vs bare SDK loop'].value, '1,200 req/s = 0.92 × S (1,300)');
    // 1,200 ≥ 1.5 × 700 = 1,050
    assert.equal(t['Ingest vs naive'].met, true);
    assert.equal(t['Ingest errors'].met, true);
    assert.match(t['Ingest errors'].value, /over 6 runs/);
    assert.equal(t['Ingest p99 at half of peak'].met, true);
    assert.equal(t['Ingest p99 at half of peak'].value, '18.0 ms at 600 req/s');
    // 3,000 < 0.4 × 20,000
    assert.equal(t['Status GET vs bare HTTP'].met, false);
    // statusHalf (16 ms) is used, not statusGet (30 ms), and the note says so.
    assert.equal(t['Status GET p99'].met, false);
    assert.equal(t['Status GET p99'].value, '16.0 ms at 1,500 req/s');
    assert.equal(t['Status GET p99'].note, 'Status GET at half of peak');
    // 900 ≥ 0.9 × 950 = 855; 900 < 1.5 × 700 = 1,050
    assert.equal(t['Worker vs bare loop'].met, true);
    assert.equal(t['Worker vs sqs-consumer'].met, false);
    assert.equal(t['Hand-off p50'].met, true);
    assert.equal(t['Hand-off p99'].met, false);
    assert.equal(t['DynamoDB writes'].met, true);
    assert.match(t['DynamoDB writes'].note, /table 2\.00 \+ indexes 0\.50/);
    assert.equal(t['SQS requests'].met, true);
    // The backlog sample (210 MB) is higher than the peak under load (150 MB).
    assert.equal(t['api memory'].met, false);
    assert.equal(t['api memory'].value, '210 MB');
    assert.equal(t['worker memory'].met, true);
    // api: 140 → 210 is +70 MB, +50 %: not flat. worker: 110 → 125 is +15 MB: flat.
    assert.equal(t['api memory under backlog'].met, false);
    assert.equal(t['worker memory under backlog'].met, true);
  });

  it('returns met: null for everything when nothing was measured', () => {
    for (const input of [{}, undefined, null]) {
      const targets = evaluateTargets(input);
      assert.equal(targets.length, 16);
      for (const t of targets) {
        assert.equal(t.met, null, t.name);
        assert.equal(t.value, '—', t.name);
      }
    }
  });

  it('handles partly missing figures', () => {
    const r = fullResults();
    delete r.S;
    delete r.http.ingestHalf;
    delete r.http.statusHalf;
    delete r.worker.bare;
    delete r.handoff;
    r.cost.perNotification.dynamoWcuTotal = undefined;
    r.memory.workerBacklog = [{ remaining: 100000, rssMb: 110 }];
    const t = byName(evaluateTargets(r));
    assert.equal(t['Ingest vs bare SDK loop'].met, null);
    assert.equal(t['Ingest vs bare SDK loop'].value, '1,200 req/s');
    assert.match(t['Ingest vs bare SDK loop'].note, /S not measured/);
    assert.equal(t['Ingest vs naive'].met, true);
    // Clean so far, but half of the phases did not run: not proven.
    assert.equal(t['Ingest errors'].met, null);
    assert.equal(t['Ingest p99 at half of peak'].met, null);
    // Falls back to statusGet (30 ms) and says so.
    assert.equal(t['Status GET p99'].met, false);
    assert.equal(t['Status GET p99'].value, '30.0 ms');
    assert.match(t['Status GET p99'].note, /full load/);
    assert.equal(t['Worker vs bare loop'].met, null);
    assert.equal(t['Hand-off p50'].met, null);
    // Total recomputed from table + indexes.
    assert.equal(t['DynamoDB writes'].met, true);
    assert.equal(t['DynamoDB writes'].value, '2.50 WCU per notification');
    assert.equal(t['worker memory under backlog'].met, null);
  });

  it('fails the error target when any run had errors, even with phases missing', () => {
    const r = fullResults();
    delete r.http.ingestHalf;
    r.http.ingest.runs[2].non2xx = 3;
    assert.equal(byName(evaluateTargets(r))['Ingest errors'].met, false);
  });

  it('recomputes a missing median from the runs', () => {
    const r = fullResults();
    delete r.http.ingest.median;
    const t = byName(evaluateTargets(r));
    assert.equal(t['Ingest vs bare SDK loop'].value, '1,200 req/s = 0.92 × S (1,300)');
  });

  it('counts memory as flat within 25 MB even when that is over 20 %', () => {
    const r = fullResults();
    r.memory.apiBacklog = [
      { backlog: 1, rssMb: 60 },
      { backlog: 2, rssMb: 84 },
    ];
    assert.equal(byName(evaluateTargets(r))['api memory under backlog'].met, true);
  });
});

describe('renderMarkdown', () => {
  it('renders every section of a full result', () => {
    const md = renderMarkdown(fullResults());
    assert.ok(md.startsWith('# Herald benchmarks\n'));
    assert.match(md, /median of 3 runs in one run of `pnpm bench`/);
    assert.match(md, /do not edit it by hand/);
    for (const heading of [
      'Machine',
      'How to run',
      'Targets',
      'Throughput and latency',
      'Worker',
      'Accept → hand-off',
      'Cost per notification',
      'Memory',
      'Runs',
      'Profiles',
      'Notes',
    ]) {
      assert.match(md, new RegExp(`^## ${heading}$`, 'm'), heading);
    }
    assert.match(md, /^\| Target +\| Measured +\| Met +\|$/m);
    assert.match(
      md,
      /^\| Figure +\| +req\/s \| +p50 ms \| +p90 ms \| +p99 ms \| +p99\.9 ms \| +errors \|$/m,
    );
    assert.match(
      md,
      /\| Ingest — POST \/v1\/notifications +\| +1,200 \| +35\.0 \| +50\.0 \| +80\.0 \| +120\.0 \| +0 \|/,
    );
    assert.match(md, /\| Ingest at half of peak \(600 req\/s offered\)/);
    // Hand-off: the target row at half of the end-to-end peak, and the comparison row.
    assert.match(md, /\| +600\/s \| half of the end-to-end peak \(the target\) +\| +22\.0 \|/);
    assert.match(md, /\| +450\/s \| half of min\(ingest alone, worker alone\) +\| +80\.0 \|/);
    assert.match(md, /the worker’s solo peak\), so .*: 1,200 notifications\/s\./);
    assert.match(md, /^### Accept → hand-off, half of min\(ingest, worker\)$/m);
    // Cost: steady and burst side by side; the target is judged on the steady run.
    assert.match(
      md,
      /\| Per delivered notification +\| +steady, [\d,]+\/s paced \| burst, 50 connections \|/,
    );
    assert.match(md, /\| SQS requests +\| +0\.38 \| +0\.13 \|/);
    // A '<' from a label is escaped so GitHub does not read it as an HTML tag.
    assert.match(md, /^### Long-poll GET \?waitSeconds=\\<2>&x$/m);
    assert.match(md, /!\[Latency percentiles\]\(benchmarks-latency\.svg\)/);
    assert.match(md, /Node: v20\.20\.2/);
    assert.match(md, /sqs-consumer 14\.2\.8/);
    assert.match(md, /\$0\.625 \/ M write request units/);
    assert.match(md, /as of 2026-11-01/);
    assert.match(md, /✅/);
    assert.match(md, /❌/);
    // Three runs plus the median row for each figure.
    assert.match(md, /### Herald worker\n\n(\|.*\n){2}\| 1 .*\n\| 2 .*\n\| 3 .*\n\| median .*/);
    // A pipe in free text must not split a table cell; a note stays one bullet.
    assert.match(md, /^- A note \| with a pipe\n {2}and a second line\.$/m);
    // Profile text with backticks gets a longer fence.
    assert.match(md, /````text\nself/);
    // Every table row in a table has the same width, for a plain terminal.
    const targetRows = md.split('## Targets')[1].split('\n\n')[1].split('\n');
    assert.equal(new Set(targetRows.map((l) => [...l.replace(/[✅❌]/g, 'xx')].length)).size, 1);
  });

  it('renders dashes when most figures are missing', () => {
    const md = renderMarkdown({
      http: { ingest: { runs: [{ rps: 1000 }], median: { rps: 1000 } } },
    });
    assert.match(md, /^## Targets$/m);
    assert.match(md, /\| Ingest — POST \/v1\/notifications \| +1,000 \| +— \|/);
    assert.match(md, /!\[Latency percentiles\]\(benchmarks-latency\.svg\)/);
    assert.match(md, /0 of 16 targets met, 0 missed, 16 not measured/);
    assert.doesNotMatch(md, /undefined|NaN|null|Infinity/);
    assert.doesNotMatch(md, /^## (Profiles|Notes)$/m);
  });

  it('does not throw on an empty result', () => {
    const md = renderMarkdown({});
    assert.doesNotMatch(md, /undefined|NaN|Infinity/);
  });
});

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
    assert.ok(svg.startsWith('<svg'));
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assertBalancedXml(svg);
    assert.match(svg, /Latency percentiles \(median of runs\), ms/);
    const texts = svgTexts(svg);
    for (const label of labels) assert.ok(texts.includes(label), label);
    for (const p of ['p50', 'p90', 'p99', 'p99.9']) assert.ok(texts.includes(p), p);
    // The data spans 0.8 ms … 2,100 ms: decades 0.1 … 10,000.
    assert.match(svg, />0\.1<\/text>/);
    assert.match(svg, />10,000<\/text>/);
    // The label from the data is escaped in the tooltip.
    assert.ok(svg.includes('?waitSeconds=&lt;2&gt;&amp;x p50'));
    assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
  });

  it('skips figures with no data', () => {
    const svg = renderChartSvg({ http: { ingest: httpRuns(1000, 0, 3, 9, 20) } });
    assertBalancedXml(svg);
    const texts = svgTexts(svg);
    assert.ok(texts.includes('Ingest'));
    assert.ok(!texts.includes('Naive'));
    assert.ok(!texts.includes('Hand-off'));
    assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
  });

  it('still renders a valid SVG with nothing measured', () => {
    const svg = renderChartSvg({});
    assert.ok(svg.startsWith('<svg'));
    assertBalancedXml(svg);
    assert.match(svg, /No latency figures/);
  });
});

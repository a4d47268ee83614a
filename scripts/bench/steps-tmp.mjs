import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulators, setUpHerald, startApi } from '/work/main/scripts/bench/lib/stack.mjs';
import { stopAll } from '/work/main/scripts/bench/lib/processes.mjs';
import { startSink } from '/work/main/scripts/bench/lib/sink.mjs';
import { sdkClients } from '/work/main/scripts/bench/baselines/herald-shapes.mjs';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
const dir = mkdtempSync(path.join(tmpdir(), 'bench-x-'));
try {
  const emu = await startEmulators();
  const h = await setUpHerald({ dir, ...emu, name: 'bench' });
  const api = await startApi(h.env);
  const sink = await startSink();
  const c = await sdkClients(emu);
  const time = async (label, fn, n = 20) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) await fn(i);
    console.log(label, ((performance.now() - t) / n).toFixed(2), 'ms');
  };
  const res = await fetch(`${api.url}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'slack', to: { webhook: 'bench' }, text: 'bench x' }),
  });
  const id = (await res.json()).id;
  await time('POST', () =>
    fetch(`${api.url}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'slack', to: { webhook: 'bench' }, text: 'bench x' }),
    }).then((r) => r.text()),
  );
  await time('GET status', () =>
    fetch(`${api.url}/v1/notifications/${id}`, {
      headers: { authorization: `Bearer ${h.token}` },
    }).then((r) => r.text()),
  );
  await time('GetItem', () =>
    c.dynamodb.send(
      new GetItemCommand({
        TableName: 'bench',
        Key: { pk: { S: `N#${id}` } },
        ConsistentRead: true,
      }),
    ),
  );
  await time('sink POST', () =>
    fetch(sink.url, { method: 'POST', body: JSON.stringify({ text: 'bench y' }) }).then((r) =>
      r.text(),
    ),
  );
  await time('SNS publish', () =>
    c.sns.send(
      new PublishCommand({
        TopicArn: h.statusTopicArn,
        Message: '{}',
        MessageAttributes: { hasCallback: { DataType: 'String', StringValue: 'false' } },
      }),
    ),
  );
} finally {
  await stopAll();
}

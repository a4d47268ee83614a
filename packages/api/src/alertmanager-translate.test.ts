import { topicNotificationRequestSchema } from '@herald/core';
import { alertmanagerPayloadSchema } from './alertmanager-payload';
import { translateAlertmanager } from './alertmanager-translate';
import { aPayload, anAlert } from './testing-alertmanager';
import { createLinkPolicy } from './url-policy';

const httpsOnly = createLinkPolicy({ allowHttpLinks: false });

function translate(raw: unknown, checkLink = httpsOnly) {
  const request = translateAlertmanager(alertmanagerPayloadSchema.parse(raw), { checkLink });
  // Whatever it makes must pass the topic send's own schema.
  expect(topicNotificationRequestSchema.safeParse(request).success).toBe(true);
  return request;
}

const second = anAlert({
  fingerprint: 'c0ffee0000000002',
  labels: { alertname: 'DiskFull', instance: 'db-2:9100' },
  annotations: { summary: 'db-2 disk is 95% full' },
});

describe('translateAlertmanager', () => {
  it('titles a firing group with its firing count and alert name, one summary line per alert', () => {
    const request = translate(aPayload([anAlert(), second]));

    expect(request).toEqual({
      title: '[FIRING:2] DiskFull',
      body: '- db-1 disk is 97% full\n- db-2 disk is 95% full',
      url: 'https://alertmanager.example.com',
      data: {
        source: 'alertmanager',
        groupKey: '{}/{severity="page"}:{alertname="DiskFull"}',
        status: 'firing',
        receiver: 'herald-ops',
        alerts: '2',
        firing: '2',
        severity: 'page',
      },
    });
  });

  it('titles a resolved group [RESOLVED] and marks resolved alerts inside a firing group', () => {
    const resolved = translate(aPayload([anAlert({ status: 'resolved' })]));
    const mixed = translate(aPayload([anAlert(), { ...second, status: 'resolved' }]));

    expect(resolved.title).toBe('[RESOLVED] DiskFull');
    expect(resolved.body).toBe('- db-1 disk is 97% full');
    expect(mixed.title).toBe('[FIRING:1] DiskFull');
    expect(mixed.body).toBe('- db-1 disk is 97% full\n- [resolved] db-2 disk is 95% full');
  });

  it('adds the other group label values, and finds a name when the group has none', () => {
    const byCluster = translate(
      aPayload([anAlert()], {
        groupLabels: { alertname: 'DiskFull', cluster: 'eu-1', env: 'prod' },
      }),
    );
    const unnamed = translate(
      aPayload([anAlert(), anAlert({ fingerprint: 'f2', labels: { alertname: 'CPU' } })], {
        groupLabels: { cluster: 'eu-1' },
        commonLabels: {},
      }),
    );

    expect(byCluster.title).toBe('[FIRING:1] DiskFull (eu-1 prod)');
    expect(
      translate(aPayload([anAlert()], { groupLabels: { alertname: 'Disk\r\nBcc: x' } })).title,
    ).toBe('[FIRING:1] Disk Bcc: x');
    expect(unnamed.title).toBe('[FIRING:2] CPU, DiskFull (eu-1)');
  });

  it('falls back from summary to description to the common annotations to the alert name', () => {
    const alerts = [
      anAlert({ fingerprint: 'a1', annotations: { description: 'Only a\n  description' } }),
      anAlert({ fingerprint: 'a2', annotations: {}, labels: { alertname: 'X' } }),
    ];

    const request = translate(aPayload(alerts));
    const common = translate(
      aPayload([anAlert({ annotations: {} })], { commonAnnotations: { summary: 'Common' } }),
    );

    expect(request.body).toBe('- Only a description\n- X');
    expect(common.body).toBe('- Common');
  });

  it('counts repeated lines and stays within 2048 characters, saying how many were left out', () => {
    const same = [1, 2, 3].map((i) => anAlert({ fingerprint: `s${i}`, annotations: {} }));
    const many = Array.from({ length: 200 }, (_, i) =>
      anAlert({
        fingerprint: `m${i}`,
        annotations: { summary: `instance ${i} ${'x'.repeat(40)}` },
      }),
    );

    const repeated = translate(aPayload(same));
    const long = translate(aPayload(many, { truncatedAlerts: 50 }));
    const lines = long.body?.split('\n') ?? [];

    expect(repeated.body).toBe('- DiskFull (×3)');
    expect(long.body?.length).toBeLessThanOrEqual(2048);
    const shown = lines.length - 1;
    expect(lines.at(-1)).toBe(`… and ${250 - shown} more alerts`);
    expect(long.title).toBe('[FIRING:200] DiskFull');
    expect(long.data?.alerts).toBe('250');
  });

  it('cuts a long title and a long summary', () => {
    const request = translate(
      aPayload([anAlert({ annotations: { summary: 's'.repeat(5000) } })], {
        groupLabels: { alertname: 'A'.repeat(400) },
      }),
    );

    expect(request.title).toHaveLength(256);
    expect(request.title.endsWith('…')).toBe(true);
    expect(request.body?.length).toBeLessThanOrEqual(300);
  });

  it('links externalURL, else the first generatorURL the link policy takes, else nothing', () => {
    const httpExternal = aPayload([anAlert()], { externalURL: 'http://alertmanager:9093' });
    const noLinks = aPayload([anAlert({ generatorURL: 'http://prometheus:9090/graph' })], {
      externalURL: '',
    });

    expect(translate(httpExternal).url).toBe('https://prometheus.example.com/graph?g0.expr=disk');
    expect(translate(noLinks).url).toBeUndefined();
    expect(translate(noLinks, createLinkPolicy({ allowHttpLinks: true })).url).toBe(
      'http://prometheus:9090/graph',
    );
    expect(
      translate(aPayload([anAlert({ generatorURL: 'file:///etc/passwd' })], { externalURL: 'x' }))
        .url,
    ).toBeUndefined();
  });

  it('marks the send critical only when asked', () => {
    const payload = alertmanagerPayloadSchema.parse(aPayload());

    expect(translateAlertmanager(payload, { checkLink: httpsOnly, critical: true }).critical).toBe(
      true,
    );
    expect(translateAlertmanager(payload, { checkLink: httpsOnly }).critical).toBeUndefined();
  });
});

describe('alertmanagerPayloadSchema', () => {
  it('tolerates fields a newer Alertmanager adds, and drops them', () => {
    const parsed = alertmanagerPayloadSchema.parse({
      ...aPayload([{ ...anAlert(), silencedBy: [] }]),
      orgId: 1,
    });

    expect(parsed).not.toHaveProperty('orgId');
    expect(parsed.alerts[0]).not.toHaveProperty('silencedBy');
  });

  it('refuses another version, a missing group key and alerts without a fingerprint', () => {
    const result = alertmanagerPayloadSchema.safeParse({
      ...aPayload([{ ...anAlert(), fingerprint: undefined }]),
      version: '3',
      groupKey: undefined,
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'alerts.0.fingerprint',
      'groupKey',
      'version',
    ]);
  });
});

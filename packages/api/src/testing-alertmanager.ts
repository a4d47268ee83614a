/**
 * Test support for the Alertmanager suites: a webhook payload (version 4) as Alertmanager sends
 * it, built from a few alerts.
 */

/** An alert as Alertmanager sends it; override what the test is about. */
export function anAlert(overrides: Record<string, unknown> = {}) {
  return {
    status: 'firing',
    labels: { alertname: 'DiskFull', instance: 'db-1:9100', severity: 'page' },
    annotations: { summary: 'db-1 disk is 97% full', description: 'Free space below 3%.' },
    startsAt: '2026-01-01T00:00:00.123456789Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'https://prometheus.example.com/graph?g0.expr=disk',
    fingerprint: 'c0ffee0000000001',
    ...overrides,
  };
}

/** A version 4 payload of one group (`alertname` grouped) holding `alerts`. */
export function aPayload(
  alerts: Record<string, unknown>[] = [anAlert()],
  overrides: Record<string, unknown> = {},
) {
  return {
    version: '4',
    groupKey: '{}/{severity="page"}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'herald-ops',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', severity: 'page' },
    commonAnnotations: {},
    externalURL: 'https://alertmanager.example.com',
    alerts,
    ...overrides,
  };
}

import { topicNotificationRequestSchema, type TopicNotificationRequest } from '@herald/core';
import type { AlertmanagerAlert, AlertmanagerPayload } from './alertmanager-payload';
import type { LinkPolicy } from './url-policy';

/** The topic send schema's bounds the translation keeps to. */
const TITLE_MAX = 256;
const BODY_MAX = 2048;
/** One alert's line; a longer summary is cut so other alerts still fit. */
const LINE_MAX = 300;
const DATA_VALUE_MAX = 1024;

export interface TranslateOptions {
  /** Links the topic send may carry; a refused candidate is skipped, never an error. */
  checkLink: LinkPolicy;
  critical?: boolean;
}

/**
 * One topic send for one Alertmanager notification (one alert group):
 * - `title`: `[FIRING:<firing alerts>] <alertname>` or `[RESOLVED] <alertname>`, the alert name
 *   from the group's labels (else the common labels, else every alert's names), then the other
 *   group label values in parentheses, which tell two groups of one alert apart;
 * - `body`: one line per alert, its `summary` (else `description`, else the common ones, else its
 *   name), resolved alerts of a firing group marked, repeated lines counted, cut to the schema's
 *   2048 characters with how many were left out (Alertmanager's `truncatedAlerts` included);
 * - `url`: `externalURL`, else the first alert's `generatorURL`, whichever the link policy takes
 *   first (a link that is not http(s), or plain http outside local mode, is left out rather than
 *   refusing the alert);
 * - `data`: flat strings (push data must be): source, group key, status, receiver, counts, and
 *   the common `severity` label when there is one.
 * Pure: the same payload gives the same request.
 */
export function translateAlertmanager(
  payload: AlertmanagerPayload,
  opts: TranslateOptions,
): TopicNotificationRequest {
  const firing = payload.alerts.filter((a) => a.status === 'firing').length;
  const url = linkOf(payload, opts.checkLink);
  const severity = payload.commonLabels.severity;
  return {
    // One line: label values may hold line breaks, and a title may become a mail subject.
    title: cut(oneLine(`${statusTag(payload.status, firing)} ${groupName(payload)}`), TITLE_MAX),
    body: bodyOf(payload),
    ...(url === undefined ? {} : { url }),
    data: {
      source: 'alertmanager',
      groupKey: cut(payload.groupKey, DATA_VALUE_MAX),
      status: payload.status,
      receiver: cut(payload.receiver, DATA_VALUE_MAX),
      alerts: String(payload.alerts.length + payload.truncatedAlerts),
      firing: String(firing),
      ...(severity === undefined ? {} : { severity: cut(severity, DATA_VALUE_MAX) }),
    },
    ...(opts.critical === true ? { critical: true } : {}),
  };
}

function statusTag(status: AlertmanagerPayload['status'], firing: number): string {
  return status === 'firing' ? `[FIRING:${firing}]` : '[RESOLVED]';
}

function groupName(payload: AlertmanagerPayload): string {
  const { groupLabels, commonLabels, alerts } = payload;
  const name =
    groupLabels.alertname ??
    commonLabels.alertname ??
    unique(alerts.map((a) => a.labels.alertname).filter((n) => n !== undefined)).join(', ');
  const others = Object.keys(groupLabels)
    .filter((label) => label !== 'alertname')
    .sort()
    .map((label) => groupLabels[label]);
  const label = name === '' ? 'alert' : name;
  return others.length === 0 ? label : `${label} (${others.join(' ')})`;
}

function bodyOf(payload: AlertmanagerPayload): string {
  const counted = new Map<string, number>();
  for (const alert of payload.alerts) {
    const line = lineOf(alert, payload);
    counted.set(line, (counted.get(line) ?? 0) + 1);
  }
  const lines: string[] = [];
  let left = payload.alerts.length + payload.truncatedAlerts;
  let length = 0;
  for (const [text, n] of counted) {
    const line = n > 1 ? `${text} (×${n})` : text;
    // Room is kept for the closing "… and N more" line whenever something would follow.
    const after = left - n;
    const reserve = after > 0 ? moreLine(after).length + 1 : 0;
    if (length + line.length + 1 + reserve > BODY_MAX) break;
    lines.push(line);
    length += line.length + 1;
    left = after;
  }
  if (left > 0) lines.push(moreLine(left));
  return cut(lines.join('\n'), BODY_MAX);
}

function moreLine(n: number): string {
  return `… and ${n} more alert${n === 1 ? '' : 's'}`;
}

function lineOf(alert: AlertmanagerAlert, payload: AlertmanagerPayload): string {
  const text =
    alert.annotations.summary ??
    alert.annotations.description ??
    payload.commonAnnotations.summary ??
    payload.commonAnnotations.description ??
    alert.labels.alertname ??
    alert.fingerprint;
  const resolvedInFiring = payload.status === 'firing' && alert.status === 'resolved';
  return cut(`- ${resolvedInFiring ? '[resolved] ' : ''}${oneLine(text)}`, LINE_MAX);
}

function linkOf(payload: AlertmanagerPayload, checkLink: LinkPolicy): string | undefined {
  const candidates = [payload.externalURL, ...payload.alerts.map((a) => a.generatorURL)];
  return candidates.find((url) => isAcceptableLink(url, checkLink));
}

function isAcceptableLink(url: string, checkLink: LinkPolicy): boolean {
  if (!topicNotificationRequestSchema.shape.url.safeParse(url).success) return false;
  try {
    checkLink(url, 'url');
    return true;
  } catch {
    return false;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

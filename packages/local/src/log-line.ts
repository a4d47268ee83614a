const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Shown first, in this order: what a person follows a notification by. */
const ID_FIELDS = ['notificationId', 'clientId', 'channel', 'status', 'reason', 'provider'];

/** pino's own fields, and ones the process prefix already says. */
const HIDDEN_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'workerId']);

/**
 * One log line of a child process as a person reads it in a terminal:
 * `HH:MM:SS.mmm LEVEL [process] message notificationId=… clientId=… … other=…`, time in UTC like
 * the JSON it came from, an error as its type, message and code (no stack), everything on one line.
 * A line that is not a pino JSON record is passed through behind `[process]`. Only `pnpm start`
 * uses this: the deployables themselves keep writing JSON.
 */
export function formatLogLine(processName: string, line: string): string {
  const record = parseRecord(line);
  if (record === undefined) return `[${processName}] ${line}`;
  const level = (LEVELS[record.level] ?? String(record.level)).padEnd(5);
  const head = `${clockTime(record.time)} ${level} [${processName}] ${record.msg}`;
  const keys = [
    ...ID_FIELDS.filter((key) => key in record.fields),
    ...Object.keys(record.fields).filter((key) => !ID_FIELDS.includes(key)),
  ];
  const tail = keys.map((key) => `${key}=${valueText(key, record.fields[key])}`);
  return [head, ...tail].join(' ');
}

interface PinoRecord {
  level: number;
  time: number;
  msg: string;
  fields: Record<string, unknown>;
}

function parseRecord(line: string): PinoRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { level, time, msg } = parsed as Record<string, unknown>;
  if (typeof level !== 'number' || typeof time !== 'number') return undefined;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!HIDDEN_FIELDS.has(key)) fields[key] = value;
  }
  return { level, time, msg: typeof msg === 'string' ? msg : '', fields };
}

function clockTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}

function valueText(key: string, value: unknown): string {
  if (key === 'err' && typeof value === 'object' && value !== null) {
    const { type, name, code, message } = value as Record<string, unknown>;
    const kind = typeof type === 'string' ? type : typeof name === 'string' ? name : 'Error';
    const suffix = typeof code === 'string' ? ` (${code})` : '';
    if (typeof message === 'string') return quoted(`${kind}: ${message}${suffix}`);
  }
  if (typeof value === 'string') return quoted(value);
  return JSON.stringify(value) ?? String(value);
}

function quoted(text: string): string {
  return /^[^\s"]+$/.test(text) ? text : JSON.stringify(text);
}

import { formatLogLine } from './log-line';

// 2026-12-07T21:04:05.006Z
const TIME = Date.UTC(2026, 11, 7, 21, 4, 5, 6);

function pinoLine(fields: Record<string, unknown>): string {
  return JSON.stringify({
    level: 30,
    time: TIME,
    pid: 4242,
    hostname: 'box',
    service: 'herald-worker',
    workerId: 'box-4242-abcdef',
    ...fields,
  });
}

describe('formatLogLine', () => {
  it('turns a pino JSON line into time, level, process, message and the ids, in that order', () => {
    const line = pinoLine({
      level: 40,
      msg: 'attempt failed; will retry',
      reason: 'provider_unavailable',
      provider: 'smtp',
      status: 'Pending',
      channel: 'email',
      clientId: 'local-dev',
      notificationId: 'n_123',
    });
    expect(formatLogLine('worker', line)).toBe(
      '21:04:05.006 WARN  [worker] attempt failed; will retry notificationId=n_123 clientId=local-dev channel=email status=Pending reason=provider_unavailable provider=smtp',
    );
  });

  it('leaves out pino bookkeeping (pid, hostname, service, workerId) and keeps other fields after the ids', () => {
    const line = pinoLine({ msg: 'herald api listening', port: 3000, host: '127.0.0.1' });
    expect(formatLogLine('api', line)).toBe(
      '21:04:05.006 INFO  [api] herald api listening port=3000 host=127.0.0.1',
    );
  });

  it('names every pino level', () => {
    const levels = [10, 20, 30, 40, 50, 60].map(
      (level) => formatLogLine('api', pinoLine({ level, msg: 'm' })).split(' ')[1],
    );
    expect(levels).toEqual(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
  });

  it('shows an error by its type and message, on the same line', () => {
    const line = pinoLine({
      level: 50,
      msg: 'receive failed',
      err: {
        type: 'TimeoutError',
        message: 'socket hang up',
        stack: 'TimeoutError: socket hang up\n    at x',
      },
    });
    expect(formatLogLine('worker', line)).toBe(
      '21:04:05.006 ERROR [worker] receive failed err="TimeoutError: socket hang up"',
    );
  });

  it('shows an error summary (errorSummary) with its code', () => {
    const line = pinoLine({
      level: 50,
      msg: 'sweep failed',
      err: { name: 'AppError', message: 'store down', code: 'INTERNAL' },
    });
    expect(formatLogLine('worker', line)).toBe(
      '21:04:05.006 ERROR [worker] sweep failed err="AppError: store down (INTERNAL)"',
    );
  });

  it('quotes values with spaces and writes objects as JSON', () => {
    const line = pinoLine({ msg: 'routes', routes: { email: ['smtp'] }, note: 'two words' });
    expect(formatLogLine('worker', line)).toBe(
      '21:04:05.006 INFO  [worker] routes routes={"email":["smtp"]} note="two words"',
    );
  });

  it('passes a line that is not JSON through with the process prefix', () => {
    expect(formatLogLine('api', 'node: warning: something')).toBe('[api] node: warning: something');
  });

  it('passes JSON that is not a pino record through unchanged but prefixed', () => {
    expect(formatLogLine('api', '{"hello":1}')).toBe('[api] {"hello":1}');
    expect(formatLogLine('api', '[1,2]')).toBe('[api] [1,2]');
  });
});

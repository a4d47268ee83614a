import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@herald/core';
import { startSmtpSink } from './smtp-sink';
import type { SmtpSink } from './smtp-sink';

/** A bare SMTP client: sends a line, resolves with the server's complete (multi-line) reply. */
class SmtpDialog {
  private buffered = '';
  private waiting: ((reply: string) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      this.buffered += data;
      // A reply is complete when its last line has a space after the code: `250 OK\r\n`.
      const match = /(?:^|\r\n)\d{3} [^\r\n]*\r\n$/.exec(this.buffered);
      if (match && this.waiting) {
        const reply = this.buffered;
        this.buffered = '';
        this.waiting(reply);
        this.waiting = undefined;
      }
    });
  }

  static async open(port: number): Promise<{ dialog: SmtpDialog; greeting: string }> {
    const socket = connect(port, '127.0.0.1');
    const dialog = new SmtpDialog(socket);
    const greeting = await dialog.reply();
    return { dialog, greeting };
  }

  send(line: string): Promise<string> {
    const reply = this.reply();
    this.socket.write(`${line}\r\n`);
    return reply;
  }

  end(): void {
    this.socket.end();
  }

  private reply(): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

async function deliver(port: number, message: string): Promise<string[]> {
  const { dialog, greeting } = await SmtpDialog.open(port);
  const replies = [greeting];
  for (const line of [
    'EHLO test.local',
    'MAIL FROM:<sender@example.com>',
    'RCPT TO:<ada@example.com>',
    'DATA',
  ]) {
    replies.push(await dialog.send(line));
  }
  // Dot-stuffing: a body line starting with '.' goes out as '..'.
  const body = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  replies.push(await dialog.send(`${body}\r\n.`));
  replies.push(await dialog.send('QUIT'));
  dialog.end();
  return replies.map((r) => r.slice(0, 3));
}

const MESSAGE = [
  'From: Herald <noreply@herald.test>',
  'To: ada@example.com',
  'Subject: Your receipt',
  'X-Herald-Notification-Id: ntf_0123456789abcdefghijklmnop',
  'Message-ID: <ntf_0123456789abcdefghijklmnop@herald.test>',
  '',
  'Thanks for your order.',
  '.signature',
].join('\n');

function recordingLogger(lines: object[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: (obj) => lines.push(obj),
    warn: (obj) => lines.push(obj),
    error: (obj) => lines.push(obj),
    child: () => logger,
  };
  return logger;
}

describe('startSmtpSink', () => {
  let dir: string;
  let sink: SmtpSink;
  const logged: object[] = [];

  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'herald-sink-')), 'mail');
    logged.length = 0;
    sink = await startSmtpSink({ dir, logger: recordingLogger(logged) });
  });

  afterEach(async () => {
    await sink.close();
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('stores an accepted message as an .eml file named after its notification id', async () => {
    const replies = await deliver(sink.port, MESSAGE);

    const files = await readdir(dir);
    expect(replies).toEqual(['220', '250', '250', '250', '354', '250', '221']);
    expect(sink.url).toBe(`smtp://127.0.0.1:${sink.port}`);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-ntf_0123456789abcdefghijklmnop\.eml$/,
    );
    const stored = await readFile(path.join(dir, files[0]!), 'utf8');
    expect(stored).toContain('Subject: Your receipt');
    expect(stored).toContain('Thanks for your order.\r\n.signature');
  });

  it('logs the file and notification id but no address', async () => {
    await deliver(sink.port, MESSAGE);

    const [file] = await readdir(dir);
    expect(logged).toEqual([{ file, notificationId: 'ntf_0123456789abcdefghijklmnop' }]);
    expect(JSON.stringify(logged)).not.toContain('@');
  });

  it('names a message without a usable notification id randomly', async () => {
    await deliver(sink.port, 'Subject: no id\n\nhello');
    await deliver(sink.port, 'X-Herald-Notification-Id: ../../escape\nSubject: bad id\n\nhello');

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^[\dT.Z-]+-[0-9a-f]{16}\.eml$/);
  });

  it('refuses a message over 25 MB and stores nothing', async () => {
    const line = `${'x'.repeat(998)}\n`;
    const huge = `Subject: huge\n\n${line.repeat(Math.ceil((26 * 1024 * 1024) / line.length))}`;

    const replies = await deliver(sink.port, huge);

    expect(replies[5]).toBe('552');
    expect(await readdir(dir)).toEqual([]);
  });

  it('creates the folder and leaves no temporary files behind', async () => {
    await deliver(sink.port, MESSAGE);
    await deliver(sink.port, MESSAGE);

    const files = await readdir(dir);
    expect(files.filter((f) => !f.endsWith('.eml'))).toEqual([]);
  });
});

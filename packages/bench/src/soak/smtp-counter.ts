import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { sleep } from '../lib/processes';
import { sinceStart } from './clock';

/** The sends one notification id received: how many, and when (ms since the start). */
export interface SendsOfId {
  count: number;
  at: number[];
}

/** An SMTP server on 127.0.0.1 that counts sends per `X-Herald-Notification-Id`. */
export interface SmtpCounter {
  port: number;
  sends: number;
  unknownIdSends: number;
  connections: number;
  readonly perId: Map<string, SendsOfId>;
  close(): Promise<void>;
}

/** Starts the counter; every message is answered after `delayMs`, like a slow provider. */
export function startSmtpCounter(delayMs: number): Promise<SmtpCounter> {
  const counter: Omit<SmtpCounter, 'port' | 'close'> = {
    sends: 0,
    unknownIdSends: 0,
    connections: 0,
    perId: new Map(),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onConnect(_session, callback) {
      counter.connections++;
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void (async () => {
          if (delayMs) await sleep(delayMs);
          const raw = Buffer.concat(chunks).toString('latin1');
          const id = /X-Herald-Notification-Id:\s*(ntf_\w+)/i.exec(raw)?.[1];
          counter.sends++;
          if (id) {
            const sends = counter.perId.get(id) ?? { count: 0, at: [] };
            sends.count++;
            sends.at.push(sinceStart());
            counter.perId.set(id, sends);
          } else counter.unknownIdSends++;
          callback();
        })();
      });
    },
  });
  server.on('error', () => undefined);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.server.address() as AddressInfo;
      resolve(
        Object.assign(counter, {
          port,
          close: () => new Promise<void>((done) => server.close(() => done())),
        }),
      );
    }),
  );
}

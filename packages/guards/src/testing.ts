/**
 * Test support: a DNS server on a free UDP port of 127.0.0.1 that answers A and AAAA questions
 * from a fixed zone, or never answers at all (a stalled name server). Import it from
 * `@herald/guards/testing`.
 */
import { createSocket } from 'node:dgram';

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for `createDnsLookup({ servers: [server.address] })`. */
  address: string;
  /** Every question received, as `<name> <A|AAAA>`. */
  questions: string[];
  close(): Promise<void>;
}

export interface TestDnsServerOptions {
  /** Name → addresses (IPv4 dotted, IPv6 full or short). Names outside it are NXDOMAIN. */
  zone?: Record<string, string[]>;
  /** Questions are recorded and never answered. */
  silent?: boolean;
}

const TYPE_A = 1;

/** Starts the server; it answers one question per query, as resolvers ask. */
export async function startTestDnsServer(opts: TestDnsServerOptions = {}): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const questions: string[] = [];
  socket.on('message', (query, peer) => {
    const question = parseQuestion(query);
    if (question === undefined) return;
    questions.push(`${question.name} ${question.type === TYPE_A ? 'A' : 'AAAA'}`);
    if (opts.silent === true) return;
    const addresses = opts.zone?.[question.name.toLowerCase()];
    socket.send(answer(query, question, addresses), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    questions,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

interface Question {
  name: string;
  type: number;
  /** Where the question section ends. */
  end: number;
}

function parseQuestion(query: Buffer): Question | undefined {
  const labels: string[] = [];
  let at = 12;
  while (at < query.length && query[at] !== 0) {
    const length = query[at] ?? 0;
    labels.push(query.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += 1 + length;
  }
  if (at + 5 > query.length) return undefined;
  return { name: labels.join('.'), type: query.readUInt16BE(at + 1), end: at + 5 };
}

function answer(query: Buffer, q: Question, addresses: string[] | undefined): Buffer {
  const records = (addresses ?? [])
    .filter((a) => (q.type === TYPE_A ? !a.includes(':') : a.includes(':')))
    .map((a) => record(q.type, a));
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // QR, RD and RA set; rcode 3 (NXDOMAIN) when the name is not in the zone.
  header.writeUInt16BE(addresses === undefined ? 0x8183 : 0x8180, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, query.subarray(12, q.end), ...records]);
}

function record(type: number, address: string): Buffer {
  const data = type === TYPE_A ? Buffer.from(address.split('.').map(Number)) : ipv6Bytes(address);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // a pointer to the question's name
  fixed.writeUInt16BE(type, 2);
  fixed.writeUInt16BE(1, 4); // class IN
  fixed.writeUInt32BE(60, 6); // TTL
  fixed.writeUInt16BE(data.length, 10);
  return Buffer.concat([fixed, data]);
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}

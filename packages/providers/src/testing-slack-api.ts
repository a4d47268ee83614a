/**
 * Test helper: a real HTTP server that speaks Slack's Web API `chat.postMessage` as the
 * `@slack/web-api` client calls it. Import it from `@herald/providers/testing`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One `chat.postMessage` call the server accepted the bearer token of. */
export interface RecordedSlackPost {
  /** The call's arguments (`channel`, `text`, `blocks`…), decoded from form or JSON. */
  args: Record<string, unknown>;
}

export interface SlackApiReply {
  status: number;
  body: object;
  headers?: Record<string, string>;
}

export interface SlackApiServerOptions {
  /** The bot token it accepts; any other is `invalid_auth`. */
  token: string;
  /** Answers a post; `undefined` (or no function) answers `ok` with a `ts`. */
  respond?: (post: RecordedSlackPost) => SlackApiReply | undefined;
}

export interface SlackApiServer {
  /** `http://127.0.0.1:<port>/api/`: pass it as `SLACK_API_URL`. */
  url: string;
  /** Every accepted `chat.postMessage`, in arrival order. */
  posts: RecordedSlackPost[];
  /** Calls refused for their token. */
  unauthorised: number;
  close(): Promise<void>;
}

/** Slack's answer for a refused call: HTTP 200 with `{ ok: false, error }`. */
export function slackApiError(error: string): SlackApiReply {
  return { status: 200, body: { ok: false, error } };
}

/** Slack's rate-limit answer: HTTP 429 with `Retry-After` (seconds) and `ratelimited`. */
export function slackRateLimited(retryAfterSeconds: number): SlackApiReply {
  return {
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

/**
 * Starts the stand-in on 127.0.0.1 and a free port. `POST /api/chat.postMessage` with the
 * expected `Authorization: Bearer <token>` is recorded and answered `respond`'s reply or
 * `{ ok: true, channel, ts }`; a wrong token is `invalid_auth`; other methods `unknown_method`.
 */
export async function startSlackApiServer(opts: SlackApiServerOptions): Promise<SlackApiServer> {
  const posts: RecordedSlackPost[] = [];
  const state = { unauthorised: 0 };
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, { status: 500, body: { ok: false, error: 'fatal_error' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/api/chat.postMessage') {
      reply(res, slackApiError('unknown_method'));
      return;
    }
    if (req.headers.authorization !== `Bearer ${opts.token}`) {
      state.unauthorised += 1;
      reply(res, slackApiError('invalid_auth'));
      return;
    }
    const post: RecordedSlackPost = { args: decode(raw, req.headers['content-type'] ?? '') };
    posts.push(post);
    const ts = `${Math.floor(Date.now() / 1_000)}.${String(posts.length).padStart(6, '0')}`;
    const channel = typeof post.args.channel === 'string' ? post.args.channel : '';
    // A DM to a user id is answered with the DM conversation's id, as Slack does.
    const answered = channel.startsWith('U') ? `D${channel.slice(1)}` : channel;
    reply(res, opts.respond?.(post) ?? { status: 200, body: { ok: true, channel: answered, ts } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    posts,
    get unauthorised() {
      return state.unauthorised;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The client sends form-encoded arguments, objects (blocks) JSON-encoded inside them. */
function decode(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = key === 'blocks' || key === 'attachments' ? (JSON.parse(value) as unknown) : value;
  }
  return args;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, answer: SlackApiReply): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

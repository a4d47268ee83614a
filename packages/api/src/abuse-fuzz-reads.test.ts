/**
 * Property-based fuzzing of the whole in-process app over real HTTP: whatever arrives, the answer
 * is below 500, every rejection carries the shared error shape, a rejected POST stores and
 * enqueues nothing, and the process keeps answering. This file: the read endpoints and raw sockets.
 */
import fc from 'fast-check';
import { expectWellFormed, TOKEN, useFuzzedApi } from './testing-fuzz';
import { authorization, headerValue, pathSegment, queryString } from './testing-fuzz-inputs';

const { send, rawExchange, stillServing, countCase } = useFuzzedApi('abuse-fuzz-reads');

describe('the api under fuzzed input', () => {
  it('answers arbitrary methods, paths and queries on the read endpoints below 500', async () => {
    const method = fc.constantFrom(
      'GET',
      'GET',
      'GET',
      'HEAD',
      'PUT',
      'DELETE',
      'PATCH',
      'OPTIONS',
    );
    const path = fc.oneof(
      fc.tuple(pathSegment, queryString).map(([id, q]) => `/v1/notifications/${id}?${q}`),
      queryString.map((q) => `/v1/notifications?${q}`),
      fc
        .array(pathSegment, { minLength: 1, maxLength: 4 })
        .map((segments) => `/${segments.join('/')}`),
    );

    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        authorization,
        fc.option(headerValue),
        async (m, p, auth, ifNoneMatch) => {
          countCase();

          const reply = await send({
            method: m,
            path: p,
            headers: {
              authorization: auth,
              ...(ifNoneMatch !== null ? { 'if-none-match': ifNoneMatch } : {}),
            },
          });

          expectWellFormed(reply, m);
        },
      ),
      { numRuns: 300 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });

  it('survives malformed bytes on a raw socket and never answers them with a 5xx', async () => {
    const prefix = fc.constantFrom(
      '',
      'GET / HTTP/1.1\r\n',
      'POST /v1/notifications HTTP/1.1\r\nHost: x\r\n',
      `POST /v1/notifications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n`,
      'GET /v1/notifications/%zz HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
    );

    await fc.assert(
      fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 300 }), async (head, junk) => {
        countCase();

        const answer = await rawExchange(Buffer.concat([Buffer.from(head, 'latin1'), junk]));

        const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
        expect(statuses.every((s) => s < 500)).toBe(true);
      }),
      { numRuns: 60 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });
});

/**
 * Property-based fuzzing of the whole in-process app over real HTTP: whatever arrives, the answer
 * is below 500, every rejection carries the shared error shape, a rejected POST stores and
 * enqueues nothing, and the process keeps answering. This file: POST bodies and headers.
 */
import { gzipSync } from 'node:zlib';
import { notificationRequestSchema } from '@herald/core';
import fc from 'fast-check';
import { TOKEN, useFuzzedApi } from './testing-fuzz';
import {
  authorization,
  contentEncoding,
  contentType,
  headerValue,
  idempotencyKey,
  mutation,
  toJsonText,
  validBody,
  type Body,
} from './testing-fuzz-inputs';

const { postAndCheck, stillServing } = useFuzzedApi('abuse-fuzz-posts');

describe('the api under fuzzed input', () => {
  it('answers arbitrary JSON values with 202 or a well-formed 4xx, storing nothing on rejection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.jsonValue()), async (value) => {
        const text = JSON.stringify(value) ?? '';

        const reply = await postAndCheck(
          { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          text,
        );

        expect(reply.status === 202 || reply.status === 400 || reply.status === 413).toBe(true);
      }),
      { numRuns: 200 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });

  it('answers arbitrary bytes and headers with a well-formed answer below 500', async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc.uint8Array({ maxLength: 2_000 }),
      fc.json(),
      validBody.map((b) => JSON.stringify(b)),
      validBody.map((b) => gzipSync(JSON.stringify(b))),
      fc.uint8Array({ maxLength: 200 }).map((junk) => Buffer.concat([gzipSync('{"a":'), junk])),
    );
    const headers = fc.record(
      {
        authorization,
        'content-type': contentType,
        'content-encoding': contentEncoding,
        'idempotency-key': idempotencyKey,
        accept: fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*'), headerValue),
        'x-request-id': headerValue,
      },
      { requiredKeys: [] },
    );

    await fc.assert(
      fc.asyncProperty(headers, body, async (h, b) => {
        await postAndCheck(h, b);
      }),
      { numRuns: 300 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });

  it('accepts a mutated valid body only when the schema does, and stores nothing otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(
        validBody,
        fc.array(mutation, { minLength: 0, maxLength: 3 }),
        async (valid, changes) => {
          const body = changes.reduce<Body>((b, change) => change(b), valid);
          const text = toJsonText(body);

          const reply = await postAndCheck(
            { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            text,
          );

          const schemaAccepts = notificationRequestSchema.safeParse(JSON.parse(text)).success;
          // Accepted only if the schema accepts; a schema-valid body may still be too big or deep.
          const allowed = schemaAccepts ? [202, 400, 413] : [400, 413];
          expect(allowed).toContain(reply.status);
        },
      ),
      { numRuns: 250 },
    );

    expect(await stillServing()).toEqual({ health: 200, unhandled: [] });
  });
});

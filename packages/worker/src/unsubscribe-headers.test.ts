import { randomBytes } from 'node:crypto';
import { aPendingRecord } from '@herald/core/testing';
import { createUnsubscribeTokens } from '@herald/guards';
import { createUnsubscribeHeaders, unsubscribeHeadersFromConfig } from './unsubscribe-headers';

const secret = randomBytes(32).toString('base64');
const tokens = createUnsubscribeTokens(secret);
const topicId = '6f1c2f4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f';
const headersOf = createUnsubscribeHeaders({ publicUrl: 'https://herald.example.com/', tokens });

describe('createUnsubscribeHeaders', () => {
  it("gives a topic's email a signed one-click link for its client, recipient and topic", () => {
    const record = aPendingRecord({ audience: { recipientId: 'alice', topicId, parentId: 'p' } });

    const headers = headersOf(record);

    expect(headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const match = /^<https:\/\/herald\.example\.com\/v1\/unsubscribe\/([A-Za-z0-9_-]+)>$/.exec(
      headers?.['List-Unsubscribe'] ?? '',
    );
    expect(tokens.verify(match?.[1] ?? '')).toEqual({
      clientId: record.clientId,
      recipientId: 'alice',
      topicId,
    });
  });

  it('gives nothing to a direct send, a send to a recipient alone, or another channel', () => {
    const sms = aPendingRecord({
      channel: 'sms',
      request: { channel: 'sms', to: '+4790000000', body: 'hi' },
      audience: { recipientId: 'alice', topicId },
    });

    expect(headersOf(aPendingRecord())).toBeUndefined();
    expect(headersOf(aPendingRecord({ audience: { recipientId: 'alice' } }))).toBeUndefined();
    expect(headersOf(sms)).toBeUndefined();
  });
});

describe('unsubscribeHeadersFromConfig', () => {
  const warnings: unknown[] = [];
  const logger = { warn: (...args: unknown[]) => void warnings.push(args) };
  beforeEach(() => (warnings.length = 0));

  it('needs both the public URL and the link secret', () => {
    const both = { HERALD_PUBLIC_URL: 'https://h.example.com', HERALD_LINK_SECRET: secret };

    expect(unsubscribeHeadersFromConfig(both, logger)).toBeInstanceOf(Function);
    expect(unsubscribeHeadersFromConfig({}, logger)).toBeUndefined();
    expect(warnings).toHaveLength(0);
  });

  it('warns, and adds no header, when only one is set', () => {
    expect(
      unsubscribeHeadersFromConfig({ HERALD_PUBLIC_URL: 'https://h.example.com' }, logger),
    ).toBeUndefined();
    expect(unsubscribeHeadersFromConfig({ HERALD_LINK_SECRET: secret }, logger)).toBeUndefined();
    expect(warnings).toHaveLength(2);
  });
});

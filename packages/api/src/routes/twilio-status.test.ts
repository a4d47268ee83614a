import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AppError, silentLogger, type ReceiptInput } from '@herald/core';
import { InMemoryNotificationStore } from '@herald/core/testing';
import { createApp } from '../app';

const ID = 'ntf_0000000000000000000000000a';

describe('POST /v1/providers/twilio/status', () => {
  let server: Server;
  let base: string;
  let receipts: ReceiptInput[];
  let signedUrls: string[];

  beforeEach(async () => {
    receipts = [];
    signedUrls = [];
    const app = createApp({
      accept: () => Promise.reject(new AppError('INTERNAL', 'unused')),
      acceptTopicNotification: () => Promise.reject(new AppError('INTERNAL', 'unused')),
      cancel: () => Promise.reject(new AppError('INTERNAL', 'unused')),
      store: new InMemoryNotificationStore(),
      verifier: { verify: () => Promise.reject(new AppError('UNAUTHENTICATED', 'no')) },
      readiness: () => Promise.resolve({ ok: true, checks: {} }),
      logger: silentLogger,
      twilioReceipts: {
        publicUrl: 'https://herald.example.com/',
        verifySignature: (url, params, signature) => {
          signedUrls.push(url);
          return signature === `good:${params.MessageSid}`;
        },
        interpret: (status, errorCode) =>
          status === 'delivered'
            ? { outcome: 'delivered' }
            : {
                outcome: 'failed',
                reason: { code: 'recipient_unreachable', message: `Twilio ${errorCode}` },
              },
        recordReceipt: (input) => {
          receipts.push(input);
          return Promise.resolve(true);
        },
      },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (form: Record<string, string>, signature?: string) =>
    fetch(`${base}/v1/providers/twilio/status?notificationId=${ID}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature ? { 'x-twilio-signature': signature } : {}),
      },
      body: new URLSearchParams(form).toString(),
    });

  it('applies a correctly signed receipt and answers 204', async () => {
    const res = await post(
      { MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' },
      'good:SM1',
    );

    expect(res.status).toBe(204);
    expect(signedUrls).toEqual([
      `https://herald.example.com/v1/providers/twilio/status?notificationId=${ID}`,
    ]);
    expect(receipts).toEqual([
      {
        notificationId: ID,
        provider: 'twilio',
        providerMessageId: 'SM1',
        providerStatus: 'undelivered',
        outcome: 'failed',
        reason: { code: 'recipient_unreachable', message: 'Twilio 30003' },
      },
    ]);
  });

  it('rejects a missing or wrong signature with 403 and records nothing', async () => {
    const unsigned = await post({ MessageSid: 'SM1', MessageStatus: 'delivered' });
    const forged = await post({ MessageSid: 'SM1', MessageStatus: 'delivered' }, 'good:SM2');

    expect([unsigned.status, forged.status]).toEqual([403, 403]);
    expect(receipts).toEqual([]);
  });

  it('rejects a signed receipt without the fields it needs with 400', async () => {
    const res = await post({ MessageSid: 'SM1' }, 'good:SM1');

    expect(res.status).toBe(400);
  });
});

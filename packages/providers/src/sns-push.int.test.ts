/**
 * The SNS push provider against a real `moto_server`. fauxqs, the SNS emulator every other test
 * uses, has no platform applications or endpoints, so this file starts moto (a
 * Python process, slower to start) once for all its tests.
 */
import { randomUUID } from 'node:crypto';
import {
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  SetEndpointAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { createSnsPushProvider } from './sns-push';
import { startMotoServer } from './testing';
import type { MotoServer } from './testing';
import { failureOf, never } from './testing-failures';

jest.setTimeout(60_000);

function aMessage(
  snsEndpointArn: string,
  overrides: Partial<PushNotificationRequest> = {},
): OutboundMessage<PushNotificationRequest> {
  return {
    notificationId: `ntf_${randomUUID().replaceAll('-', '').slice(0, 26)}`,
    request: { channel: 'push', to: { snsEndpointArn }, title: 'Hello', body: 'Hi', ...overrides },
  };
}

describe('SNS push provider against moto_server', () => {
  let moto: MotoServer;
  let sns: SNSClient;
  let applicationArn: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    sns = new SNSClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const app = await sns.send(
      new CreatePlatformApplicationCommand({
        Name: 'herald-test',
        Platform: 'GCM',
        Attributes: { PlatformCredential: 'dummy-fcm-key' },
      }),
    );
    applicationArn = app.PlatformApplicationArn!;
  });

  afterAll(async () => {
    sns?.destroy();
    await moto?.stop();
  });

  async function anEndpoint(): Promise<string> {
    const res = await sns.send(
      new CreatePlatformEndpointCommand({
        PlatformApplicationArn: applicationArn,
        Token: `device-${randomUUID()}`,
      }),
    );
    return res.EndpointArn!;
  }

  it('publishes the per-platform payloads to the endpoint and returns the MessageId', async () => {
    const endpointArn = await anEndpoint();
    const provider = createSnsPushProvider({ sns });
    const message = aMessage(endpointArn, { url: 'https://app.example/o/1', data: { order: 1 } });

    const result = await provider.send(message, never());
    const recorded = await moto.platformEndpointMessages(endpointArn);

    expect(result.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
    const sent = JSON.parse(recorded[result.providerMessageId]!) as Record<string, string>;
    expect(sent.default).toBe('Hi');
    expect(JSON.parse(sent.GCM!)).toEqual({
      notification: { title: 'Hello', body: 'Hi' },
      data: { order: 1, url: 'https://app.example/o/1', notificationId: message.notificationId },
    });
    expect(JSON.parse(sent.APNS!)).toMatchObject({
      aps: { alert: { title: 'Hello', body: 'Hi' } },
    });
  });

  it('reports a disabled endpoint as gone for good, without naming it', async () => {
    const endpointArn = await anEndpoint();
    const provider = createSnsPushProvider({ sns });
    await provider.send(aMessage(endpointArn), never());
    await sns.send(
      new SetEndpointAttributesCommand({
        EndpointArn: endpointArn,
        Attributes: { Enabled: 'false' },
      }),
    );

    const err = await failureOf(provider.send(aMessage(endpointArn), never()));

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'subscription_gone',
      deadTarget: true,
      providerCode: 'EndpointDisabled',
    });
    expect(err.message).not.toContain(endpointArn);
    expect(String((err.cause as Error).stack)).not.toContain(endpointArn);
  });

  it('refuses an endpoint that does not exist, permanently', async () => {
    const missing = `${applicationArn.replace(':app/', ':endpoint/')}/${randomUUID()}`;
    const provider = createSnsPushProvider({ sns });

    const err = await failureOf(provider.send(aMessage(missing), never()));

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'recipient_invalid',
      deadTarget: false,
      providerCode: 'NotFound',
    });
  });
});

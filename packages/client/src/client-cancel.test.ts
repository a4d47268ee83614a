import { createHeraldClient, isHeraldApiError } from './index';
import {
  aNotificationView,
  startFakeHeraldApi,
  type FakeAnswer,
  type FakeHeraldApi,
} from './testing';

let api: FakeHeraldApi;
let answer: FakeAnswer;

beforeEach(async () => {
  answer = () => ({ status: 500, json: { error: { code: 'INTERNAL', message: 'unscripted' } } });
  api = await startFakeHeraldApi((req, gone) => answer(req, gone));
});

afterEach(async () => {
  await api.close();
});

const client = () => createHeraldClient({ baseUrl: api.baseUrl, token: 'tok-1' });

describe('cancelNotification', () => {
  it('POSTs to the encoded id’s cancel path with no body and returns the notification', async () => {
    const cancelled = {
      ...aNotificationView(),
      status: 'Refused' as const,
      reason: { code: 'cancelled' as const, message: 'Cancelled by the client before it was sent' },
    };
    answer = () => ({ status: 200, json: cancelled });

    const view = await client().cancelNotification('ntf/1');

    expect(view).toEqual(cancelled);
    const [sent] = api.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/notifications/ntf%2F1/cancel');
    expect(sent?.headers.authorization).toBe('Bearer tok-1');
  });

  it('rejects with CONFLICT once the send has started or the status is final', async () => {
    answer = () => ({
      status: 409,
      json: { error: { code: 'CONFLICT', message: 'The notification is already Delivered' } },
    });

    const err = await client()
      .cancelNotification('ntf_1')
      .catch((e: unknown) => e);

    expect(isHeraldApiError(err) && { status: err.status, code: err.code }).toEqual({
      status: 409,
      code: 'CONFLICT',
    });
  });
});

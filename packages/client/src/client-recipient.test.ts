import { createHeraldClient, isHeraldApiError } from './index';
import { anAcceptedView, startFakeHeraldApi, type FakeAnswer, type FakeHeraldApi } from './testing';

let api: FakeHeraldApi;
let answer: FakeAnswer;

beforeEach(async () => {
  answer = () => ({ status: 202, json: anAcceptedView() });
  api = await startFakeHeraldApi((req, gone) => answer(req, gone));
});

afterEach(async () => {
  await api.close();
});

describe('sendNotificationAsync to a recipient', () => {
  it('sends the body naming the recipient as it is, and surfaces NO_ADDRESS', async () => {
    answer = (req) =>
      (JSON.parse(req.body) as { channel: string }).channel === 'sms'
        ? { status: 422, json: { error: { code: 'NO_ADDRESS', message: 'no phone' } } }
        : { status: 202, json: anAcceptedView() };
    const herald = createHeraldClient({ baseUrl: api.baseUrl, token: 'tok-1' });

    await herald.sendNotificationAsync({ channel: 'email', recipient: 'alice', text: 'Hi' });
    const err: unknown = await herald
      .sendNotificationAsync({ channel: 'sms', recipient: 'alice', body: 'Hi', critical: true })
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({
      channel: 'email',
      recipient: 'alice',
      text: 'Hi',
    });
    expect(isHeraldApiError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'NO_ADDRESS', status: 422 });
  });
});

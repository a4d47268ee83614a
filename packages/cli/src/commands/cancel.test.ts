import { useFakeApiCli } from '../testing-fake-api-cli';

const CANCELLED = {
  id: 'ntf_01',
  channel: 'email',
  status: 'Refused',
  reason: { code: 'cancelled', message: 'Cancelled by the client before it was sent' },
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:01.000Z',
  attempts: 0,
  events: [],
};

const fake = useFakeApiCli(() => ({ status: 200, body: CANCELLED }));
const { cli } = fake;

describe('herald cancel', () => {
  it('POSTs the cancel and prints the notification', async () => {
    const { code, stdout } = await cli(['cancel', 'ntf_01']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(CANCELLED);
    expect(fake.api.requests[0]).toMatchObject({
      method: 'POST',
      url: '/v1/notifications/ntf_01/cancel',
    });
  });

  it('exits 1 with the api error when the send has started', async () => {
    fake.reply = () => ({
      status: 409,
      body: { error: { code: 'CONFLICT', message: 'Sending has already started' } },
    });

    const { code, stderr } = await cli(['cancel', 'ntf_01']);

    expect(code).toBe(1);
    expect(stderr).toContain('409 CONFLICT');
  });

  it.each([[['cancel']], [['cancel', 'a', 'b']], [['cancel', 'a', '--force']]])(
    'exits 2 for %j',
    async (argv) => {
      const { code } = await cli(argv);
      expect(code).toBe(2);
    },
  );
});

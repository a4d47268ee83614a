/** Test support for the command suites that talk to the api: a fake api per test, and the CLI. */
import { runCli, startFakeApi } from './testing';
import type { FakeApi, FakeApiReply, RecordedRequest } from './testing';

export interface FakeApiCli {
  /** The current test's fake api (its `requests`). */
  readonly api: FakeApi;
  /** How the api answers; reset to the default before every test. */
  reply: (req: RecordedRequest) => FakeApiReply;
  /** Runs the CLI against the fake api with a token, outside any local stack. */
  cli(argv: string[]): ReturnType<typeof runCli>;
}

/** Registers `beforeEach`/`afterEach` hooks that start and stop a fake api for every test. */
export function useFakeApiCli(defaultReply: (req: RecordedRequest) => FakeApiReply): FakeApiCli {
  let api: FakeApi | undefined;
  const state: FakeApiCli = {
    get api() {
      if (api === undefined) throw new Error('the fake api runs only inside a test');
      return api;
    },
    reply: defaultReply,
    cli: (argv) =>
      runCli(argv, {
        env: {
          HERALD_API_URL: state.api.url,
          HERALD_TOKEN: 'tok',
          HERALD_DATA_DIR: '/nonexistent',
        },
      }),
  };
  beforeEach(async () => {
    state.reply = defaultReply;
    api = await startFakeApi((req) => state.reply(req));
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  return state;
}

import { parseEmulatorsEnv } from './emulators-env';

describe('parseEmulatorsEnv', () => {
  it('treats empty values as unset: any free port, in memory, both emulators', () => {
    expect(
      parseEmulatorsEnv({
        HERALD_DATA_DIR: '',
        HERALD_DYNAMODB_PORT: '',
        HERALD_SQS_PORT: '',
        HERALD_EMULATORS_ONLY: '',
      }),
    ).toEqual({ HERALD_DYNAMODB_PORT: 0, HERALD_SQS_PORT: 0 });
  });

  it('reads the data dir, the ports and which emulator to start', () => {
    expect(
      parseEmulatorsEnv({
        HERALD_DATA_DIR: '/tmp/x',
        HERALD_DYNAMODB_PORT: '8000',
        HERALD_SQS_PORT: '9324',
        HERALD_EMULATORS_ONLY: 'sqs',
      }),
    ).toEqual({
      HERALD_DATA_DIR: '/tmp/x',
      HERALD_DYNAMODB_PORT: 8000,
      HERALD_SQS_PORT: 9324,
      HERALD_EMULATORS_ONLY: 'sqs',
    });
  });

  it('names every invalid variable at once', () => {
    const parse = () =>
      parseEmulatorsEnv({
        HERALD_DYNAMODB_PORT: '70000',
        HERALD_SQS_PORT: 'x',
        HERALD_EMULATORS_ONLY: 'sns',
      });

    expect(parse).toThrow(/HERALD_DYNAMODB_PORT[\s\S]*HERALD_SQS_PORT[\s\S]*HERALD_EMULATORS_ONLY/);
  });
});

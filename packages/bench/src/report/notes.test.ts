import { explainMisses } from './notes';

const missed = (name: string) => [{ name, met: false, value: '—' }];

describe('explainMisses', () => {
  it('explains a half-of-peak tail by the api core it measured as busy', () => {
    const results = {
      http: {
        ingest: { cpuMsPerRequest: { api: 0.6, dynamodb: 0.3, sqs: 0.05 } },
        ingestHalf: {
          rate: 800,
          machineBusyPercent: 81,
          cpuMsPerRequest: { api: 1.08, dynamodb: 0.42, sqs: 0.06 },
        },
      },
      floor: { ingest: { p50: 2.5, p99: 13.4 } },
    };
    const [note] = explainMisses(results, missed('Ingest p99 at half of peak'));
    expect(note).toMatch(/At 800 req\/s, half of peak, the api spent 1\.08 ms of CPU/);
    expect(note).toMatch(/\(0\.60 ms at peak/);
    expect(note).toMatch(/its one core was 86 % busy and the machine 81 %/);
    expect(note).toMatch(/waits in line/);
  });

  it('blames the shared cores when the api core had room', () => {
    const results = {
      http: {
        statusGet: { cpuMsPerRequest: { api: 0.29, dynamodb: 0.17 } },
        statusHalf: {
          rate: 1000,
          machineBusyPercent: 60,
          cpuMsPerRequest: { api: 0.4, dynamodb: 0.2 },
        },
      },
      floor: { statusRead: { p50: 1.5, p99: 7.6 } },
    };
    const [note] = explainMisses(results, missed('Status GET p99'));
    expect(note).toMatch(/its one core was 40 % busy/);
    expect(note).toMatch(/The api's core had room/);
  });

  it('still says something when the half-of-peak CPU was not measured', () => {
    const [note] = explainMisses({ http: {} }, missed('Status GET p99'));
    expect(note).toMatch(/share two cores/);
  });

  it('writes nothing for met targets', () => {
    expect(explainMisses({ http: {} }, [{ name: 'Status GET p99', met: true }])).toEqual([]);
  });
  it("explains a fan-out queue wait by the direct sends' own share of the slots", () => {
    const [note] = explainMisses({}, missed('Queue wait during fan-out'));
    expect(note).toMatch(/bulk queue/);
  });

  it('explains a slower fan-out by what a child costs beyond a direct send', () => {
    const [note] = explainMisses({}, missed('Fan-out vs worker'));
    expect(note).toMatch(/preferences are read at send time/);
  });
});

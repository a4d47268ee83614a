// Run: node --test scripts/bench/lib/notes.test.mjs
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainMisses } from './notes.mjs';

const missed = (name) => [{ name, met: false, value: '—' }];

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
    assert.match(note, /At 800 req\/s, half of peak, the api spent 1\.08 ms of CPU/);
    assert.match(note, /\(0\.60 ms at peak/);
    assert.match(note, /its one core was 86 % busy and the machine 81 %/);
    assert.match(note, /waits in line/);
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
    assert.match(note, /its one core was 40 % busy/);
    assert.match(note, /The api's core had room/);
  });

  it('still says something when the half-of-peak CPU was not measured', () => {
    const [note] = explainMisses({ http: {} }, missed('Status GET p99'));
    assert.match(note, /share two cores/);
  });

  it('writes nothing for met targets', () => {
    assert.deepEqual(explainMisses({ http: {} }, [{ name: 'Status GET p99', met: true }]), []);
  });
});

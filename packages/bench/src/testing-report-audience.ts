/** The audience phases' figures for the report's tests (a fan-out and a scheduled run). */
import type { BenchResults, DeepPartial } from './report/results';

/**
 * A fan-out of 10,000 that meets its creation, rate and memory targets but not the queue wait,
 * and a scheduled run that meets both of its targets.
 */
export function audienceResults(): Pick<DeepPartial<BenchResults>, 'fanOut' | 'scheduled'> {
  return {
    fanOut: {
      subscribers: 10000,
      children: 10000,
      delivered: 10000,
      parentStatus: 'Delivered',
      fanOutSeconds: 20,
      // 500 ≥ 0.5 × 800 = 400
      createdPerSec: 500,
      bareLoopPerSec: 800,
      deliverySeconds: 40,
      // 250 ≥ 0.9 × 260 = 234
      deliveredPerSec: 250,
      worker: { perSec: 260, source: 'worker-phase' },
      rss: {
        startMb: 90,
        peakMb: 150,
        endMb: 140,
        samples: 160,
        byTenth: [
          { delivered: 1000, rssMb: 120 },
          { delivered: 2000, rssMb: 140 },
          { delivered: 10000, rssMb: 150 },
        ],
      },
      waitIdle: { rate: 2, missing: 0, count: 40, p50: 8, p90: 12, p99: 15, p999: 15, max: 15 },
      waitDuringFanOut: {
        rate: 2,
        missing: 0,
        count: 80,
        p50: 900,
        p90: 1800,
        p99: 2500,
        p999: 2500,
        max: 2600,
      },
      duplicates: 0,
    },
    scheduled: {
      notifications: 10000,
      rate: 130,
      worker: { perSec: 260, source: 'worker-phase' },
      leadSeconds: 55,
      periodSeconds: 76.9,
      lag: { count: 10000, p50: 480, p90: 900, p99: 1200, p999: 1500, max: 1700 },
      early: 0,
      missing: 0,
    },
  };
}

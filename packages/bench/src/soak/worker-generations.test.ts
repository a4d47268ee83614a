import type { LaunchOptions, NodeProcess, ProcessExit } from '@herald/local';
import { WorkerGenerations } from './worker-generations';

const line = (msg: string, notificationId: string) => JSON.stringify({ msg, notificationId });

/** A worker that logs `lines` while it starts, then stays up until killed. */
function fakeStart(lines: string[]) {
  const launches: LaunchOptions[] = [];
  const start = (launch: LaunchOptions): Promise<NodeProcess> => {
    launches.push(launch);
    for (const l of lines) launch.onLine?.(l);
    const exit: ProcessExit = { code: null, signal: 'SIGKILL' };
    return Promise.resolve({
      name: launch.name ?? 'worker',
      kill: () => Promise.resolve(exit),
      stop: () => Promise.resolve({ code: 0, signal: null }),
    } as unknown as NodeProcess);
  };
  return { start, launches };
}

describe('WorkerGenerations', () => {
  it('counts the lines a worker logs while it starts, and names each generation', async () => {
    const fake = fakeStart([
      line('delivery attempt started', 'ntf_a'),
      line('delivery attempt started', 'ntf_b'),
      line('notification delivered', 'ntf_a'),
      'not json',
    ]);
    const workers = new WorkerGenerations(fake.start);

    const gen = await workers.launch();
    await workers.end(gen, 'SIGKILL');
    await workers.launch();

    expect(fake.launches.map((l) => l.name)).toEqual(['worker#1', 'worker#2']);
    expect(gen).toMatchObject({ n: 1, delivered: 1, ended: 'SIGKILL', openAtEnd: ['ntf_b'] });
    expect(workers.current?.n).toBe(2);
    expect(workers.restarts.startMs).toHaveLength(2);
  });
});

import { limitHeapGrowth } from './heap-growth';

describe('limitHeapGrowth', () => {
  it('sets V8’s heap growing percent', () => {
    const flags: string[] = [];

    limitHeapGrowth(100, (f) => flags.push(f));

    expect(flags).toEqual(['--heap-growing-percent=100']);
  });

  it('leaves V8’s own heuristic alone at 0', () => {
    const flags: string[] = [];

    limitHeapGrowth(0, (f) => flags.push(f));

    expect(flags).toEqual([]);
  });
});

/** The highest RSS seen in each tenth of a count (the backlog built, or drained). */
export class PeakPerTenth {
  private readonly peaks: (number | undefined)[] = [];

  constructor(private readonly tenth: number) {}

  /** An RSS reading (MB) taken at `count`; undefined readings are ignored. */
  sample(count: number, rss: number | undefined): void {
    if (rss === undefined) return;
    const i = Math.min(9, Math.floor(count / this.tenth));
    this.peaks[i] = Math.max(this.peaks[i] ?? 0, rss);
  }

  /** [tenth index, peak MB] for every tenth that had a reading, in order. */
  rows(): [number, number][] {
    return this.peaks.flatMap((rss, i): [number, number][] =>
      rss === undefined ? [] : [[i, rss]],
    );
  }
}

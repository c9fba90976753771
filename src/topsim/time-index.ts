/**
 * Items sorted by a time (whole milliseconds) and then by id: a window query
 * (modified between two times) is two binary searches and a slice, not a scan
 * of the whole shop. An item's time is stored with its entry: call `move` with
 * the old and the new time when it changes.
 */

interface Entry<T> {
  t: number;
  id: bigint;
  item: T;
}

export class TimeIndex<T> {
  private entries: Entry<T>[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** Many items at once (seeding): one sort. */
  addAll(items: Iterable<T>, timeOf: (item: T) => number, idOf: (item: T) => bigint): void {
    for (const item of items) {
      this.entries.push({ t: timeOf(item), id: idOf(item), item });
    }
    this.entries.sort(compare);
  }

  add(item: T, t: number, id: bigint): void {
    const e = { t, id, item };
    const last = this.entries[this.entries.length - 1];
    if (!last || compare(last, e) <= 0) {
      this.entries.push(e);
      return;
    }
    this.entries.splice(this.lowerBound(t, id), 0, e);
  }

  /** The item's time changed from `from` to `to`. */
  move(item: T, id: bigint, from: number, to: number): void {
    if (from === to) return;
    const at = this.lowerBound(from, id);
    if (this.entries[at]?.item !== item) throw new Error('not in the index at that time');
    this.entries.splice(at, 1);
    this.add(item, to, id);
  }

  /** Items with from ≤ time ≤ to (either bound may be absent), oldest first. */
  range(from: number | null, to: number | null): T[] {
    const lo = from === null ? 0 : this.lowerBound(from, -1n);
    const hi = to === null ? this.entries.length : this.lowerBound(to + 1, -1n);
    const out: T[] = [];
    for (let i = lo; i < hi; i += 1) out.push((this.entries[i] as Entry<T>).item);
    return out;
  }

  /** Newest first, without copying the whole index: stops once `want` items passed the filter. */
  *newestFirst(): Generator<T> {
    for (let i = this.entries.length - 1; i >= 0; i -= 1) yield (this.entries[i] as Entry<T>).item;
  }

  /** the first position whose entry is ≥ (t, id) */
  private lowerBound(t: number, id: bigint): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.entries[mid] as Entry<T>;
      if (m.t < t || (m.t === t && m.id < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function compare<T>(a: Entry<T>, b: Entry<T>): number {
  if (a.t !== b.t) return a.t - b.t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

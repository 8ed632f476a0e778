// Windowing for long lists: which rows are on screen, which pages of rows to ask the
// Rust side for, and a small page cache. Pure code, unit-tested; the findings table
// renders only the visible rows plus a margin.

export interface Range {
  start: number;
  end: number; // exclusive
}

/** Rows visible at `scrollTop` in a viewport, widened by `overscan` on each side. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): Range {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total - 1, first) - overscan);
  const end = Math.min(total, first + visible + overscan);
  return { start, end: Math.max(start, end) };
}

/** Page numbers covering a range. */
export function pagesOf(range: Range, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const out: number[] = [];
  for (let p = Math.floor(range.start / pageSize); p <= Math.floor((range.end - 1) / pageSize); p++) out.push(p);
  return out;
}

/** The scrollTop that brings row `index` into view (or the current one if it is). */
export function scrollToShow(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return bottom - viewport;
  return scrollTop;
}

/** Pages of rows fetched from the backend, with the pages in flight. Clearing bumps a
 *  generation so answers to an old query are dropped. */
export class PageCache<T> {
  readonly pageSize: number;
  private pages = new Map<number, T[]>();
  private pending = new Set<number>();
  generation = 0;

  constructor(pageSize = 200) {
    this.pageSize = pageSize;
  }

  row(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Pages of `range` neither cached nor in flight; marks them in flight. */
  claim(range: Range): number[] {
    const want = pagesOf(range, this.pageSize).filter((p) => !this.pages.has(p) && !this.pending.has(p));
    want.forEach((p) => this.pending.add(p));
    return want;
  }

  /** Stores a page unless it answers an older generation. */
  put(page: number, rows: T[], generation: number): boolean {
    if (generation !== this.generation) return false;
    this.pending.delete(page);
    this.pages.set(page, rows);
    return true;
  }

  fail(page: number, generation: number): void {
    if (generation === this.generation) this.pending.delete(page);
  }

  clear(): void {
    this.pages.clear();
    this.pending.clear();
    this.generation++;
  }

  get size(): number {
    return this.pages.size;
  }
}

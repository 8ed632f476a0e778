import { describe, expect, it } from 'vitest';
import { PageCache, pagesOf, scrollToShow, visibleRange } from '../../src/lib/virtual';

describe('virtual list windowing', () => {
  it('renders the rows on screen plus a margin, never past the ends', () => {
    // 600 px viewport, 30 px rows: 20 rows visible (+1 partial).
    expect(visibleRange(0, 600, 30, 100_000, 8)).toEqual({ start: 0, end: 29 });
    expect(visibleRange(30_000, 600, 30, 100_000, 8)).toEqual({ start: 992, end: 1029 });
    expect(visibleRange(3_000_000, 600, 30, 100_000, 8)).toEqual({ start: 99_991, end: 100_000 });
    expect(visibleRange(0, 600, 30, 0)).toEqual({ start: 0, end: 0 });
  });

  it('maps a range to the pages that hold it', () => {
    expect(pagesOf({ start: 190, end: 410 }, 200)).toEqual([0, 1, 2]);
    expect(pagesOf({ start: 0, end: 200 }, 200)).toEqual([0]);
    expect(pagesOf({ start: 5, end: 5 }, 200)).toEqual([]);
  });

  it('scrolls just enough to show the cursor row', () => {
    expect(scrollToShow(10, 0, 600, 30)).toBe(0);
    expect(scrollToShow(25, 0, 600, 30)).toBe(180);
    expect(scrollToShow(2, 300, 600, 30)).toBe(60);
  });

  it('fetches each page once and drops answers to an older query', () => {
    const c = new PageCache<string>(2);
    expect(c.claim({ start: 0, end: 4 })).toEqual([0, 1]);
    expect(c.claim({ start: 0, end: 4 }), 'in flight').toEqual([]);
    const gen = c.generation;
    expect(c.put(0, ['a', 'b'], gen)).toBe(true);
    expect(c.row(1)).toBe('b');
    c.clear();
    expect(c.put(1, ['c', 'd'], gen)).toBe(false);
    expect(c.row(2)).toBeUndefined();
    expect(c.claim({ start: 0, end: 2 }), 'cleared pages are fetched again').toEqual([0]);
    c.fail(0, c.generation);
    expect(c.claim({ start: 0, end: 2 }), 'a failed page can be retried').toEqual([0]);
  });
});

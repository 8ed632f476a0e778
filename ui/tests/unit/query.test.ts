import { describe, expect, it } from 'vitest';
import { activeFilters, emptyQuery, toggleGroup, toggleSort } from '../../src/lib/query';
import { screenForKey, SCREENS } from '../../src/lib/screens';

describe('findings query', () => {
  it('sorts by a column, then flips direction on a second click', () => {
    let q = toggleSort(emptyQuery(), 'rule');
    expect([q.sort, q.descending]).toEqual(['rule', false]);
    q = toggleSort(q, 'rule');
    expect(q.descending).toBe(true);
    q = toggleSort(q, 'system');
    expect([q.sort, q.descending]).toEqual(['system', false]);
  });

  it('folds and unfolds groups', () => {
    let q = toggleGroup(emptyQuery(), 'IT');
    expect(q.collapsed).toEqual(['IT']);
    q = toggleGroup(q, 'OT-L2');
    q = toggleGroup(q, 'IT');
    expect(q.collapsed).toEqual(['OT-L2']);
  });

  it('lists the filters in force', () => {
    const q = { ...emptyQuery(), zone: 'OT-L2', fingerprint: 'ab12', text: 'ignored' };
    expect(activeFilters(q)).toEqual([['zone', 'OT-L2'], ['fingerprint', 'ab12']]);
  });
});

describe('screens', () => {
  it('Ctrl+digit opens a screen, engagement screens only when one is open', () => {
    expect(screenForKey('1', false)).toBe('start');
    expect(screenForKey('4', false)).toBeNull();
    expect(screenForKey('4', true)).toBe('findings');
    expect(screenForKey('9', true)).toBe('reports');
    expect(screenForKey('0', true)).toBeNull();
    expect(new Set(SCREENS.map((s) => s.key)).size).toBe(SCREENS.length);
  });
});

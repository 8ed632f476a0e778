import { describe, expect, it } from 'vitest';
import { ANSWER_KEYS, axisPoint, keyOf, nextOpen, radarPolygon, sameItem } from '../../src/lib/assess';
import type { ItemView } from '../../src/lib/types';

const item = (id: string, answered: boolean, zone: string | null = null): ItemView => ({
  kind: 'practice', id, zone, domain: 'ACCESS', answered, answer: answered ? 'fully' : null,
});

describe('questionnaire moves', () => {
  it('finds the next unanswered item after the current one, wrapping round', () => {
    const items = [item('A-1', false), item('A-2', true), item('A-3', false)];
    expect(nextOpen(items, null)).toBe(0);
    expect(nextOpen(items, 0)).toBe(2);
    expect(nextOpen(items, 2)).toBe(0);
    expect(nextOpen(items.map((i) => ({ ...i, answered: true })), 1)).toBeNull();
  });

  it('follows an item to its new place when the list was recomputed', () => {
    const before = item('B-2', true, 'OT');
    const after = [item('B-1', false), item('B-2', true, 'IT'), item('B-2', true, 'OT')];
    expect(sameItem(after, before)).toBe(2);
    expect(sameItem(after, item('Z-9', false))).toBe(-1);
  });

  it('has one key per answer, as the terminal questionnaire', () => {
    expect(Object.keys(ANSWER_KEYS)).toEqual(['f', 'l', 'p', 'n', 'a', 'u']);
    expect(keyOf('not_applicable')).toBe('a');
  });
});

describe('radar geometry', () => {
  it('puts the first axis straight up and goes clockwise', () => {
    const up = axisPoint(0, 4, 100, 0, 0);
    expect(up.x).toBeCloseTo(0);
    expect(up.y).toBeCloseTo(-100);
    const right = axisPoint(1, 4, 100, 0, 0);
    expect(right.x).toBeCloseTo(100);
    expect(right.y).toBeCloseTo(0);
  });

  it('scales each value to its share of the radius, clamped to the scale', () => {
    expect(radarPolygon([3, 0, 1.5, 9], 3, 100, 200, 200)).toBe('200.0,100.0 200.0,200.0 200.0,250.0 100.0,200.0');
  });
});

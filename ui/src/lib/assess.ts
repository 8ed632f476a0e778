// Questionnaire and maturity helpers: the answer scale with its keys and words, moving
// through items, and the radar chart's geometry (own code: no chart library).
import type { AnswerCode, ItemView } from './types';

/** Single keys for answers, as in the terminal questionnaire. */
export const ANSWER_KEYS: Record<string, AnswerCode> = {
  f: 'fully',
  l: 'largely',
  p: 'partially',
  n: 'not',
  a: 'not_applicable',
  u: 'unknown',
};

export const ANSWER_LABELS: Record<AnswerCode, string> = {
  fully: 'Fully implemented',
  largely: 'Largely implemented',
  partially: 'Partially implemented',
  not: 'Not implemented',
  not_applicable: 'Not applicable',
  unknown: 'Unknown',
};

export function keyOf(a: AnswerCode): string {
  return Object.entries(ANSWER_KEYS).find(([, v]) => v === a)![0];
}

/** Index of the first unanswered item after `from` (wrapping), or null when all are answered. */
export function nextOpen(items: ItemView[], from: number | null): number | null {
  const start = from === null ? 0 : from + 1;
  for (let k = 0; k < items.length; k++) {
    const i = (start + k) % items.length;
    if (!items[i].answered) return i;
  }
  return null;
}

/** The position of the same item in a recomputed list (answers change what applies). */
export function sameItem(items: ItemView[], old: ItemView | undefined): number {
  if (!old) return -1;
  return items.findIndex(
    (i) => i.kind === old.kind && i.id === old.id && (i.kind === 'question' || old.kind === 'question' || i.zone === old.zone),
  );
}

export interface Point {
  x: number;
  y: number;
}

/** Where axis `i` of `n` points at radius `r` (first axis straight up, clockwise). */
export function axisPoint(i: number, n: number, r: number, cx: number, cy: number): Point {
  const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
  return { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) };
}

/** SVG polygon points for one series: value / max of the radius on each axis. */
export function radarPolygon(values: number[], max: number, r: number, cx: number, cy: number): string {
  return values
    .map((v, i) => axisPoint(i, values.length, (Math.max(0, Math.min(v, max)) / max) * r, cx, cy))
    .map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`)
    .join(' ');
}

// The findings query the table sends to Rust, and the helpers that change it.

import type { FindingsQuery } from './types';

export function emptyQuery(): FindingsQuery {
  return {
    text: '',
    status: '',
    category: '',
    rule: '',
    zone: '',
    flag: '',
    file: '',
    identity: '',
    system: '',
    fingerprint: '',
    sort: 'location',
    descending: false,
    group: '',
    collapsed: [],
  };
}

/** Clicking a column header: sort by it, or flip the direction when it already is. */
export function toggleSort(q: FindingsQuery, field: string): FindingsQuery {
  if (q.sort === field) return { ...q, descending: !q.descending };
  return { ...q, sort: field, descending: false };
}

/** Collapse or expand one group. */
export function toggleGroup(q: FindingsQuery, key: string): FindingsQuery {
  const collapsed = q.collapsed.includes(key) ? q.collapsed.filter((k) => k !== key) : [...q.collapsed, key];
  return { ...q, collapsed };
}

/** The filters in force, as chips: [field, value]. */
export function activeFilters(q: FindingsQuery): [keyof FindingsQuery, string][] {
  const fields: (keyof FindingsQuery)[] = [
    'status', 'category', 'rule', 'zone', 'flag', 'file', 'identity', 'system', 'fingerprint',
  ];
  return fields.filter((f) => q[f] !== '').map((f) => [f, String(q[f])]);
}

/** A copy safe to send (no Svelte proxies). */
export function plain(q: FindingsQuery): FindingsQuery {
  return { ...q, collapsed: [...q.collapsed] };
}

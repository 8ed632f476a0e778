// Numbers and words as the screens show them. Pure functions, unit-tested.

const nf = new Intl.NumberFormat('en-GB');

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return nf.format(Math.round(n));
}

/** Bytes in binary units: 1536 → "1.5 KB", 0 → "0 B". */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${Math.max(0, Math.round(n || 0))} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Throughput: 12.345 → "12.3 MB/s". */
export function rate(mbPerS: number): string {
  if (!Number.isFinite(mbPerS) || mbPerS <= 0) return '0 MB/s';
  return `${mbPerS >= 100 ? Math.round(mbPerS) : mbPerS.toFixed(1)} MB/s`;
}

/** Time left: null → "counting files…", 75 → "1 min 15 s", 3725 → "1 h 02 min". */
export function eta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'counting files…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Elapsed milliseconds as "m:ss". */
export function elapsed(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Done/total as a 0..1 ratio (0 when nothing is known yet). */
export function ratio(done: number, total: number): number {
  if (!total || total <= 0) return 0;
  return Math.min(1, Math.max(0, done / total));
}

/** "1 finding", "2 findings". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

const STATUS_LABELS: Record<string, string> = {
  open: 'Open',
  confirmed: 'Confirmed',
  false_positive: 'False positive',
  accepted: 'Accepted risk',
  fixed: 'Fixed',
};

export function statusLabel(s: string): string {
  return STATUS_LABELS[s] ?? s;
}

/** snake_case words for people: "non_human" → "non-human", "private_key" → "private key". */
export function words(s: string): string {
  if (s === 'non_human') return 'non-human';
  return s.replaceAll('_', ' ');
}

/** An RFC 3339 UTC time as "2026-11-29 11:42" (UTC, as stored). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** The last segment of a path, whatever the separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : path;
}

/** The files behind a route: ["a"] → "a", ["a", "b", "c"] → "a and 2 more files". */
export function files(list: string[]): string {
  if (list.length === 0) return '';
  if (list.length === 1) return list[0];
  return `${list[0]} and ${plural(list.length - 1, 'more file', 'more files')}`;
}

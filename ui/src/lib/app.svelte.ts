// App-wide state (Svelte 5 runes): the open engagement, the current screen, the live
// scan progress, the theme, and the passphrase and about dialogs. Screens read it and
// call the actions below; `version` bumps when data changed so screens reload.

import { api, isCommandError } from './ipc';
import type { AppInfo, CommandError, FindingsQuery, Opened, ScanProgress } from './types';
import type { ScreenId } from './screens';

export type Theme = 'light' | 'dark';

export interface PassphraseRequest {
  creating: boolean;
  error: string | null;
  resolve: (p: string | null) => void;
}

export const app = $state({
  info: null as AppInfo | null,
  opened: null as Opened | null,
  screen: 'start' as ScreenId,
  progress: null as ScanProgress | null,
  theme: 'light' as Theme,
  notice: null as { text: string; error: boolean } | null,
  passphrase: null as PassphraseRequest | null,
  about: false,
  /** Filters a screen asks the findings screen to apply (from the graph, overview). */
  findingsPreset: null as Partial<FindingsQuery> | null,
  /** Bumped when findings, sources or zones changed. */
  version: 0,
  /** Set by the start screen's "new" menu action. */
  focusNew: 0,
});

export function go(screen: ScreenId): void {
  app.screen = screen;
}

export function notify(text: string, error = false): void {
  app.notice = { text, error };
}

export function fail(e: unknown): void {
  notify(isCommandError(e) ? e.message : String(e), true);
}

export function touched(): void {
  app.version++;
}

// Theme: the saved choice, else the system's.
const THEME_KEY = 'credence.theme';

export function initTheme(): void {
  const saved = globalThis.localStorage?.getItem(THEME_KEY);
  const dark = globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches;
  setTheme(saved === 'dark' || saved === 'light' ? saved : dark ? 'dark' : 'light', false);
}

export function setTheme(t: Theme, save = true): void {
  app.theme = t;
  document.documentElement.dataset.theme = t;
  if (save) globalThis.localStorage?.setItem(THEME_KEY, t);
}

export function toggleTheme(): void {
  setTheme(app.theme === 'dark' ? 'light' : 'dark');
}

/** Asks the user for a passphrase; null when they cancel. */
export function askPassphrase(creating: boolean, error: string | null = null): Promise<string | null> {
  return new Promise((resolve) => {
    app.passphrase = { creating, error, resolve };
  });
}

/** Runs an action that may need the engagement passphrase: asks for it when the Rust
 *  side says so (no keyring) and again after a wrong one. */
export async function withPassphrase<T>(creating: boolean, act: (pass: string | null) => Promise<T>): Promise<T | null> {
  let pass: string | null = null;
  let error: string | null = null;
  for (;;) {
    try {
      return await act(pass);
    } catch (e) {
      const ce = e as CommandError;
      if (!isCommandError(e) || (ce.kind !== 'passphrase_required' && ce.kind !== 'wrong_passphrase')) throw e;
      error = ce.kind === 'wrong_passphrase' ? ce.message : pass ? ce.message : null;
      pass = await askPassphrase(creating, error);
      if (pass === null) return null;
    }
  }
}

export function engagementOpened(o: Opened): void {
  app.opened = o;
  app.progress = null;
  touched();
  go('overview');
  notify(`Opened ${o.meta.client} — ${o.meta.site}. ${o.key_note}.`);
}

export async function openPath(path: string): Promise<void> {
  try {
    const o = await withPassphrase(false, (p) => api.openEngagement(path, p));
    if (o) engagementOpened(o);
  } catch (e) {
    fail(e);
  }
}

export async function openWithDialog(): Promise<void> {
  try {
    const path = await api.chooseEngagementFile();
    if (path) await openPath(path);
  } catch (e) {
    fail(e);
  }
}

export async function openSample(): Promise<void> {
  try {
    const o = await withPassphrase(true, (p) => api.openSample(p));
    if (o) engagementOpened(o);
  } catch (e) {
    fail(e);
  }
}

export async function closeEngagement(): Promise<void> {
  try {
    await api.closeEngagement();
    app.opened = null;
    app.progress = null;
    go('start');
    app.info = await api.appInfo();
  } catch (e) {
    fail(e);
  }
}

// The only door to the Rust side: one typed function per command, one per event.
// Screens import `api` and `events`; nothing else calls `invoke` or `listen`.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AnswerCode,
  AppInfo,
  CommandError,
  ItemDetail,
  MaturityReport,
  QuestionnaireView,
  Recorded,
  RegisterView,
  Regenerated,
  ReportReady,
  ReportsView,
  RiskEdits,
  Facets,
  FileErrors,
  FindingsQuery,
  FindingsWindow,
  GraphView,
  MenuAction,
  NewEngagementInput,
  NewZone,
  Opened,
  Overview,
  Recent,
  ScanProgress,
  ScanStatus,
  Selection,
  SourceInfo,
  ZonesView,
} from './types';

/** Any rejection as a CommandError (the Rust side always sends {kind, message}). */
export function toCommandError(e: unknown): CommandError {
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    return { kind: (e as CommandError).kind, message: String((e as CommandError).message) };
  }
  return { kind: 'io', message: typeof e === 'string' ? e : String(e) };
}

export function isCommandError(e: unknown): e is CommandError {
  return !!e && typeof e === 'object' && 'kind' in e && 'message' in e;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toCommandError(e);
  }
}

export const api = {
  appInfo: () => call<AppInfo>('app_info'),
  chooseEngagementLocation: (suggestedName: string) =>
    call<string | null>('choose_engagement_location', { suggestedName }),
  chooseEngagementFile: () => call<string | null>('choose_engagement_file'),
  createEngagement: (input: NewEngagementInput) => call<Opened>('create_engagement', { input }),
  openEngagement: (path: string, passphrase?: string | null) =>
    call<Opened>('open_engagement', { path, passphrase: passphrase ?? null }),
  openSample: (passphrase?: string | null) => call<Opened>('open_sample', { passphrase: passphrase ?? null }),
  closeEngagement: () => call<void>('close_engagement'),
  recentEngagements: () => call<Recent[]>('recent_engagements'),

  listSources: () => call<SourceInfo[]>('list_sources'),
  pickSources: (kind: 'folders' | 'files') => call<SourceInfo[]>('pick_sources', { kind }),
  addDroppedSources: (paths: string[]) => call<SourceInfo[]>('add_dropped_sources', { paths }),
  addSampleSource: () => call<SourceInfo[]>('add_sample_source'),
  removeSource: (id: number) => call<SourceInfo[]>('remove_source', { id }),

  listZones: () => call<ZonesView>('list_zones'),
  addZone: (zone: NewZone) => call<ZonesView>('add_zone', { zone }),
  addZoneRule: (zone: string, kind: string, pattern: string, priority: number) =>
    call<ZonesView>('add_zone_rule', { zone, kind, pattern, priority }),
  removeZoneRule: (id: number) => call<ZonesView>('remove_zone_rule', { id }),
  setZoneCriticality: (zone: string, safety: number, availability: number, regulatory: number) =>
    call<ZonesView>('set_zone_criticality', { zone, safety, availability, regulatory }),

  startScan: () => call<{ roots: string[] }>('start_scan'),
  cancelScan: () => call<boolean>('cancel_scan'),
  scanStatus: () => call<ScanStatus>('scan_status'),
  fileErrors: (scan?: number | null) => call<FileErrors>('file_errors', { scan: scan ?? null }),

  findingsWindow: (query: FindingsQuery, offset: number, limit: number) =>
    call<FindingsWindow>('findings_window', { query, offset, limit }),
  findingsFacets: () => call<Facets>('findings_facets'),
  triageFindings: (selection: Selection, status: string, note?: string | null) =>
    call<number>('triage_findings', { selection, status, note: note ?? null }),
  revealFinding: (id: string) => call<void>('reveal_finding', { id }),
  identityGraph: () => call<GraphView>('identity_graph'),
  overview: () => call<Overview>('overview'),

  questionnaire: (model?: string | null) => call<QuestionnaireView>('questionnaire', { model: model ?? null }),
  questionnaireItem: (kind: 'question' | 'practice', id: string, zone: string | null) =>
    call<ItemDetail>('questionnaire_item', { kind, id, zone }),
  recordAnswer: (practice: string, zone: string | null, answer: AnswerCode, note: string | null) =>
    call<Recorded>('record_answer', { practice, zone, answer, note }),
  clearAnswer: (practice: string, zone: string | null) => call<QuestionnaireView>('clear_answer', { practice, zone }),
  setApplicability: (question: string, applies: boolean) =>
    call<QuestionnaireView>('set_applicability', { question, applies }),
  setTarget: (domain: string, level: number) => call<QuestionnaireView>('set_target', { domain, level }),
  /** Opens the native dialog (Rust side) when `path` is null. */
  attachEvidence: (practice: string, zone: string | null, path: string | null = null) =>
    call<ItemDetail | null>('attach_evidence', { practice, zone, path }),
  maturityResults: () => call<MaturityReport | null>('maturity_results'),
  riskRegister: () => call<RegisterView>('risk_register'),
  editRisk: (id: string, edits: RiskEdits) => call<RegisterView>('edit_risk', { id, edits }),
  regenerateRegister: () => call<boolean>('regenerate_register'),
  listReports: () => call<ReportsView>('list_reports'),
  generateReport: (kind: 'pdf' | 'xlsx', paper: 'a4' | 'letter') => call<boolean>('generate_report', { kind, paper }),
  saveReport: (name: string) => call<string | null>('save_report', { name }),
  openReport: (name: string) => call<void>('open_report', { name }),
  /** A PDF report's bytes (binary IPC) for the in-app preview. */
  reportPdf: (name: string) => call<ArrayBuffer | Uint8Array | number[]>('report_pdf', { name }),
};

export const events = {
  onScanProgress: (cb: (p: ScanProgress) => void): Promise<UnlistenFn> =>
    listen<ScanProgress>('scan-progress', (e) => cb(e.payload)),
  onMenu: (cb: (a: MenuAction) => void): Promise<UnlistenFn> => listen<MenuAction>('menu', (e) => cb(e.payload)),
  onRegisterRegenerated: (cb: (r: Regenerated) => void): Promise<UnlistenFn> =>
    listen<Regenerated>('register-regenerated', (e) => cb(e.payload)),
  onReportReady: (cb: (r: ReportReady) => void): Promise<UnlistenFn> =>
    listen<ReportReady>('report-ready', (e) => cb(e.payload)),
  onSourcesDropped: (cb: (paths: string[]) => void): Promise<UnlistenFn> =>
    listen<string[]>('sources-dropped', (e) => cb(e.payload)),
};

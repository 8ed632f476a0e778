// The shapes that cross IPC, mirroring the Rust structs in src-tauri (serde names).
// Findings carry masked previews and fingerprints only: never a secret.

export type ErrorKind =
  | 'invalid'
  | 'no_engagement'
  | 'passphrase_required'
  | 'wrong_passphrase'
  | 'busy'
  | 'store'
  | 'io';

export interface CommandError {
  kind: ErrorKind;
  message: string;
}

export interface Meta {
  uid: string;
  client: string;
  site: string;
  assessor: string | null;
  marking: string | null;
  created: string;
  updated: string;
}

export interface Recent {
  path: string;
  client: string;
  site: string;
  opened: string;
}

export interface Opened {
  path: string;
  meta: Meta;
  key_note: string;
  recent: Recent[];
}

export interface AppInfo {
  version: string;
  sample_available: boolean;
  open_sample_on_start: boolean;
  default_folder: string;
  recent: Recent[];
  open: Opened | null;
}

export interface NewEngagementInput {
  client: string;
  site: string;
  assessor?: string | null;
  marking?: string | null;
  location?: string | null;
  passphrase?: string | null;
}

export interface SourceInfo {
  id: number;
  root: string;
  added: string;
  kind: 'folder' | 'file' | 'missing';
}

export interface Zone {
  name: string;
  kind: string;
  safety: number;
  availability: number;
  regulatory: number;
  description: string | null;
  criticality: number;
}

export interface ZoneRule {
  id: number;
  zone: string;
  kind: string;
  pattern: string;
  priority: number;
}

export interface ZonesView {
  zones: Zone[];
  rules: ZoneRule[];
  kinds: string[];
  rule_kinds: string[];
}

export interface NewZone {
  name: string;
  kind: string;
  safety: number;
  availability: number;
  regulatory: number;
  description?: string | null;
}

export type ScanState = 'running' | 'completed' | 'cancelled' | 'failed';

export interface ScanProgress {
  engagement: string;
  state: ScanState;
  scan_id: number | null;
  resumed: boolean;
  files_found: number;
  files_done: number;
  bytes_done: number;
  findings: number;
  walk_finished: boolean;
  elapsed_ms: number;
  mb_per_s: number;
  eta_seconds: number | null;
  errors: number;
  message: string | null;
}

export interface ScanRow {
  id: number;
  started: string;
  finished: string | null;
  status: string;
  roots: string[];
  files_seen: number;
  files_scanned: number;
  files_reused: number;
  files_errors: number;
  findings: number;
  resumed: number;
}

export interface ScanStatus {
  running: boolean;
  scans: ScanRow[];
  interrupted: number | null;
}

export interface FileErrors {
  scan: number | null;
  files: { root: string; path: string; reason: string }[];
  last_run: { path: string; reason: string }[];
}

export const SORTS = ['location', 'rule', 'category', 'confidence', 'username', 'system', 'zone', 'status'] as const;
export const GROUPS = ['file', 'rule', 'identity', 'system', 'zone'] as const;
export const TRIAGE = ['open', 'confirmed', 'false_positive', 'accepted', 'fixed'] as const;
export type Triage = (typeof TRIAGE)[number];

export interface FindingsQuery {
  text: string;
  status: string;
  category: string;
  rule: string;
  zone: string;
  flag: string;
  file: string;
  identity: string;
  system: string;
  fingerprint: string;
  sort: string;
  descending: boolean;
  group: string;
  collapsed: string[];
}

export interface FindingRow {
  id: string;
  location: string;
  path: string;
  rule: string;
  rule_name: string;
  category: string;
  confidence: string;
  username: string | null;
  system: string | null;
  identity: string;
  masked: string;
  length: number;
  fingerprint: string;
  flags: string[];
  exposure_zone: string;
  target_zone: string;
  status: string;
  note: string | null;
  who: string | null;
  context: string;
  reuse_count: number;
  detail: string | null;
}

export type DisplayRow =
  | { kind: 'group'; key: string; count: number; collapsed: boolean }
  | ({ kind: 'finding' } & FindingRow);

export interface FindingsWindow {
  scan: number;
  total: number;
  matching: number;
  entries: number;
  offset: number;
  rows: DisplayRow[];
}

export interface Facets {
  total: number;
  status: [string, number][];
  category: [string, number][];
  rule: [string, number][];
  zone: [string, number][];
  flag: [string, number][];
}

export type Selection = { ids: string[] } | { query: FindingsQuery };

export interface CrossPath {
  source_zone: string;
  /** Files in the source zone that expose the credential (the route's evidence), sorted. */
  files: string[];
  /** Keyed fingerprint of the credential (never the secret). */
  fingerprint: string;
  credential: string;
  account: string;
  target_zone: string;
  source_criticality: number;
  target_criticality: number;
}

export interface Metrics {
  identities: number;
  credentials: number;
  privileged: number;
  shared: number;
  shared_credentials: number;
  non_human: number;
  cross_boundary: number;
  cross_boundary_paths: number;
  reused_across_zones: number;
  default: number;
  older_than_1y: number;
  older_than_4y: number;
}

export interface CredentialReport {
  fingerprint: string;
  label: string;
  sources: string[];
  accounts: string[];
  systems: string[];
  zones: string[];
  flags: string[];
  shared: boolean;
  cross_zone: boolean;
  blast_radius: number;
}

export interface Overview {
  path: string;
  meta: Meta;
  key_note: string;
  sources: number;
  latest_scan: ScanRow | null;
  scans: number;
  findings: number;
  by_status: Record<string, number>;
  by_category: [string, number][];
  metrics: Metrics;
  top_credentials: CredentialReport[];
  cross_paths: CrossPath[];
  total_cross_paths: number;
  maturity: MaturitySummary | null;
  top_risks: RiskSummary[];
  risks_total: number;
  risks_live: number;
}

export interface MaturitySummary {
  model_name: string;
  overall: number;
  max_level: number;
  answered: number;
  applicable: number;
  gaps: number;
  contradictions: number;
  /** [domain id, name, achieved, target] */
  domains: [string, string, number, number | null][];
}

export interface RiskSummary {
  id: string;
  title: string;
  score: number;
  band: Band;
  status: RiskStatus;
  owner: string | null;
  due: string;
}

export interface Lane {
  zone: string;
  kind: string;
  criticality: number;
}

export interface GraphNode {
  id: string;
  kind: 'credential' | 'account';
  label: string;
  zone: string;
  findings: number;
  flags: string[];
  filter_field: 'fingerprint' | 'identity';
  filter_value: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  cross: boolean;
}

export interface GraphView {
  lanes: Lane[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  paths: CrossPath[];
  total_paths: number;
  total_credentials: number;
  shown_credentials: number;
}

export interface MenuAction {
  action: 'new' | 'open' | 'recent' | 'close' | 'theme' | 'about';
  path: string | null;
}

// Questionnaire (screen 6).
export const ANSWERS = ['fully', 'largely', 'partially', 'not', 'not_applicable', 'unknown'] as const;
export type AnswerCode = (typeof ANSWERS)[number];

export type Item = { kind: 'question'; id: string } | { kind: 'practice'; id: string; zone: string | null };

export type ItemView = Item & { domain: string | null; answered: boolean; answer: string | null };

export interface DomainView {
  id: string;
  name: string;
  answered: number;
  applicable: number;
  target: number | null;
}

export interface QuestionnaireView {
  model_id: string;
  model_name: string;
  model_version: string;
  round_id: number;
  round_label: string;
  levels: { number: number; name: string }[];
  zone_classes: string[];
  domains: DomainView[];
  items: ItemView[];
  next: number | null;
  answered: number;
  total: number;
  scan: number | null;
}

export interface Indicator {
  id: string;
  label: string;
  count: number;
  by_zone: Record<string, number>;
  examples: string[];
}

export interface Attached {
  name: string;
  size: number;
  hash: string;
  added: string;
}

export type ItemDetail =
  | { kind: 'question'; id: string; text: string; status: 'yes' | 'no' | 'open' }
  | {
      kind: 'practice';
      id: string;
      domain: string;
      domain_name: string;
      level: number;
      level_name: string;
      zone: string | null;
      question: string;
      guidance: string;
      evidence_examples: string[];
      indicators: Indicator[];
      scan: number | null;
      answer: AnswerCode | null;
      note: string | null;
      answered_at: string | null;
      contradiction: string | null;
      attached: Attached[];
      mappings: string[];
    };

export interface Recorded {
  view: QuestionnaireView;
  contradiction: string | null;
}

// Maturity results (screen 7).
export interface DomainResult {
  id: string;
  name: string;
  achieved: number;
  target: number | null;
  previous: number | null;
  practices_applicable: number;
  practices_answered: number;
}

export interface PracticeOutcome {
  practice_id: string;
  domain_id: string;
  level: number;
  question: string;
  answer: AnswerCode | null;
  zone_answers: [string, AnswerCode][];
  note: string | null;
  contradiction: string | null;
  gap_risk: { title: string; likelihood: number; impact: number; recommendation: string; attack: string[] };
  mappings: string[];
}

export interface MaturityReport {
  model_id: string;
  model_name: string;
  model_version: string;
  max_level: number;
  domains: DomainResult[];
  practices: PracticeOutcome[];
  label: string;
  overall: number;
  gaps: string[];
  trend: { compared_with: string } | null;
  attack_notice: string | null;
}

// Risk register (screen 8).
export type Band = 'critical' | 'high' | 'medium' | 'low';
export const RISK_STATUSES = ['open', 'in_progress', 'accepted', 'resolved'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export interface RiskRow {
  id: string;
  rank: number;
  origin: 'rule' | 'gap' | 'manual';
  title: string;
  description: string;
  zones: string[];
  systems: string[];
  identities: string[];
  identity_count: number;
  finding_count: number;
  answer_count: number;
  attack: string[];
  likelihood: number;
  impact: number;
  score: number;
  band: Band;
  residual_score: number;
  derivation: string[];
  contradictions: string[];
  treatment: string;
  practices: string[];
  owner: string | null;
  owner_role: string;
  due: string;
  due_suggested: boolean;
  status: RiskStatus;
  note: string | null;
  first_seen: string;
  evidence_gone: string | null;
  edited: string[];
}

export interface RegisterView {
  risks: RiskRow[];
  /** heat[likelihood - 1][impact - 1] */
  heat: number[][];
  live: number;
  regenerating: boolean;
}

export interface RiskEdits {
  owner?: string;
  due?: string;
  status?: RiskStatus;
  treatment?: string;
  title?: string;
  note?: string;
}

export interface Regenerated {
  engagement: string;
  ok: boolean;
  risks: number;
  live: number;
  message: string | null;
}

// Reports (screen 9).
export interface PdfOutline {
  title: string;
  pages: number;
  sections: string[];
}

export interface ReportFile {
  name: string;
  kind: 'pdf' | 'xlsx';
  bytes: number;
  modified: string;
  outline: PdfOutline | null;
}

export interface ReportsView {
  folder: string;
  files: ReportFile[];
  generating: boolean;
}

export interface ReportReady {
  engagement: string;
  ok: boolean;
  file: ReportFile | null;
  elapsed_ms: number;
  notes: string[];
}

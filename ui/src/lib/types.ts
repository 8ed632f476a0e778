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
  source: string;
  source_zone: string;
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

// A stand-in for the Rust side in page tests: every command the UI calls, answered
// from memory with the same shapes (src/lib/types.ts), and scan progress sent as
// events. Built into one script by harness.mjs and injected before the app loads.
// Config (window.__CREDENCE_MOCK_CONFIG__): findings (count), open (engagement open at
// start), passphrase (a passphrase the mock engagement needs; no keyring).
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { DisplayRow, FindingRow, FindingsQuery, GraphView, Opened, ScanRow, SourceInfo, Zone, ZoneRule } from '../../src/lib/types';

interface Config {
  findings: number;
  open: boolean;
  passphrase: string | null;
  /** Practices already answered at start (resume), e.g. {"ACCESS-1a|": "fully"}. */
  answers: Record<string, string>;
  /** An assessment round exists (maturity results, overview). */
  assessed: boolean;
  /** Risks in the register at start. */
  risks: number;
}
const cfg: Config = { findings: 109, open: false, passphrase: null, answers: {}, assessed: false, risks: 0, ...(globalThis as any).__CREDENCE_MOCK_CONFIG__ };
const calls: { cmd: string; args: unknown }[] = [];
(globalThis as any).__CREDENCE_MOCK_CALLS__ = calls;

const RULES = ['prose.password', 'generic.assignment', 'cisco.type7', 'keys.pem', 'sheet.credential-row'];
const ZONES = ['IT', 'DMZ', 'OT-L3', 'OT-L2', 'OT-L1', 'OT-L0', 'IoT', 'vendor', 'cloud'];
const FLAGS = ['privileged', 'default', 'weak', 'reversible', 'non_human'];
const status = new Map<number, string>();
let findingCount = cfg.open ? cfg.findings : 0;

function finding(i: number): FindingRow {
  const exposure = ZONES[i % 3];
  const target = i % 7 === 0 ? 'OT-L2' : exposure;
  const user = `user${i % 300}`;
  const system = `host${i % 120}.example`;
  return {
    id: `f${i}`,
    location: `share/dir${i % 50}/file${i % 1000}.txt:${(i % 500) + 1}`,
    path: `share/dir${i % 50}/file${i % 1000}.txt`,
    rule: RULES[i % RULES.length],
    rule_name: RULES[i % RULES.length],
    category: i % 5 === 3 ? 'private_key' : 'password',
    confidence: ['high', 'medium', 'low'][i % 3],
    username: user,
    system,
    identity: `${user}@${system}`,
    masked: 'P*******!',
    length: 9,
    fingerprint: `fp${(i % 400).toString(16).padStart(8, '0')}`,
    flags: i % 4 === 0 ? [FLAGS[i % FLAGS.length]] : [],
    exposure_zone: exposure,
    target_zone: target,
    status: status.get(i) ?? 'open',
    note: null,
    who: null,
    context: 'password = P*******!',
    reuse_count: 1,
    detail: null,
  };
}

// The view of one query: filter, sort, group, as the Rust side does.
let viewKey = '';
let view: ({ g: string; n: number; c: boolean } | number)[] = [];
function build(q: FindingsQuery) {
  const key = JSON.stringify({ q, findingCount, v: status.size });
  if (key === viewKey) return view;
  const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
  const idx: number[] = [];
  for (let i = 0; i < findingCount; i++) {
    const f = finding(i);
    if (q.status && f.status !== q.status) continue;
    if (q.zone && f.exposure_zone !== q.zone && f.target_zone !== q.zone) continue;
    if (q.flag && !f.flags.includes(q.flag)) continue;
    if (q.rule && f.rule !== q.rule) continue;
    if (q.category && f.category !== q.category) continue;
    if (q.fingerprint && f.fingerprint !== q.fingerprint) continue;
    if (q.identity && f.identity !== q.identity) continue;
    if (words.length && !words.every((w) => `${f.location} ${f.rule} ${f.identity}`.toLowerCase().includes(w))) continue;
    idx.push(i);
  }
  if (q.sort && q.sort !== 'location') {
    const k = (i: number) => String((finding(i) as any)[q.sort === 'zone' ? 'exposure_zone' : q.sort] ?? '');
    idx.sort((a, b) => k(a).localeCompare(k(b)) || a - b);
  }
  if (q.descending) idx.reverse();
  if (!q.group) view = idx;
  else {
    const groups = new Map<string, number[]>();
    const gk = (f: FindingRow) =>
      q.group === 'file' ? f.path : q.group === 'rule' ? f.rule : q.group === 'zone' ? f.exposure_zone : q.group === 'system' ? f.system! : f.identity;
    for (const i of idx) {
      const g = gk(finding(i));
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(i);
    }
    view = [];
    for (const g of [...groups.keys()].sort()) {
      const items = groups.get(g)!;
      const c = q.collapsed.includes(g);
      view.push({ g, n: items.length, c });
      if (!c) view.push(...items);
    }
  }
  viewKey = key;
  return view;
}

let opened: Opened | null = null;
const meta = (client: string, site: string) => ({
  uid: 'mock', client, site, assessor: 'A. Assessor', marking: 'CONFIDENTIAL - CLIENT', created: '2026-11-29T10:00:00Z', updated: '2026-11-29T10:00:00Z',
});
if (cfg.open) opened = { path: '/cases/sample.credence', meta: meta('Brightwater Hydro & Grid (sample)', 'Hydro plant'), key_note: 'engagement key from the mock keyring', recent: [] };
let sources: SourceInfo[] = cfg.open ? [{ id: 1, root: '/opt/credence/sample-data', added: '2026-11-29T10:00:00Z', kind: 'folder' }] : [];
const zones: Zone[] = ZONES.map((z, i) => ({ name: z, kind: z, safety: Math.min(5, 1 + i), availability: 2, regulatory: 2, description: `${z} zone`, criticality: Math.min(5, Math.max(2, 1 + i)) }));
let rules: ZoneRule[] = [{ id: 1, zone: 'OT-L2', kind: 'path-glob', pattern: '**/scada/**', priority: 20 }];
const scans: ScanRow[] = cfg.open
  ? [{ id: 1, started: '2026-11-29T10:01:00Z', finished: '2026-11-29T10:02:00Z', status: 'completed', roots: [sources[0].root], files_seen: 140, files_scanned: 140, files_reused: 0, files_errors: 1, findings: findingCount, resumed: 0 }]
  : [];
let scanning: ReturnType<typeof setInterval> | null = null;

function needEngagement() {
  if (!opened) throw { kind: 'no_engagement', message: 'no engagement is open' };
}

function unlock(pass: string | null | undefined) {
  if (cfg.passphrase === null) return;
  if (!pass) throw { kind: 'passphrase_required', message: 'protected by a passphrase' };
  if (pass !== cfg.passphrase) throw { kind: 'wrong_passphrase', message: 'wrong passphrase' };
}

function startScan() {
  needEngagement();
  if (!sources.length) throw { kind: 'invalid', message: 'add a folder or file to scan first' };
  if (scanning) throw { kind: 'busy', message: 'a scan is already running' };
  let done = 0;
  const total = 140;
  const id = scans.length + 1;
  const base = { engagement: opened!.path, scan_id: null, resumed: false, errors: 0, message: null };
  scanning = setInterval(() => {
    done = Math.min(total, done + 35);
    const running = done < total;
    emit('scan-progress', {
      ...base,
      state: running ? 'running' : 'completed',
      scan_id: running ? null : id,
      files_found: total, files_done: done, bytes_done: done * 40_000, findings: Math.round((done / total) * 109),
      walk_finished: true, elapsed_ms: done * 10, mb_per_s: 4.2, eta_seconds: running ? (total - done) / 35 : null,
      errors: running ? 0 : 1,
    });
    if (!running) {
      clearInterval(scanning!);
      scanning = null;
      findingCount = 109;
      scans.push({ id, started: '2026-11-29T11:00:00Z', finished: '2026-11-29T11:00:05Z', status: 'completed', roots: sources.map((s) => s.root), files_seen: total, files_scanned: total, files_reused: 0, files_errors: 1, findings: 109, resumed: 0 });
    }
  }, 120);
  return { roots: sources.map((s) => s.root) };
}

function graph(): GraphView {
  const nodes: GraphView['nodes'] = [];
  const edges: GraphView['edges'] = [];
  for (let i = 0; i < 12; i++) {
    const f = finding(i);
    nodes.push({ id: `c${i}`, kind: 'credential', label: `P*******! [${f.fingerprint}]`, zone: f.exposure_zone, findings: 2, flags: f.flags, filter_field: 'fingerprint', filter_value: f.fingerprint });
    nodes.push({ id: `a${i}`, kind: 'account', label: f.identity, zone: f.target_zone, findings: 1, flags: [], filter_field: 'identity', filter_value: f.identity });
    edges.push({ from: `c${i}`, to: `a${i}`, cross: f.target_zone !== f.exposure_zone });
  }
  const paths = [{ files: ['share/dir0/file0.txt'], fingerprint: 'fp00000000', source_zone: 'IT', credential: 'P*******! [fp00000000]', account: 'user0@host0.example', target_zone: 'OT-L2', source_criticality: 2, target_criticality: 5 }];
  return { lanes: zones.map((z) => ({ zone: z.name, kind: z.kind, criticality: z.criticality })), nodes, edges, paths, total_paths: 2, total_credentials: 12, shown_credentials: 12 };
}

// Assessment: a small model with a zone-class question, practices answered once and
// per zone class, and one practice the scan refutes.
const LEVELS = [{ number: 1, name: 'Initiated' }, { number: 2, name: 'Performed' }, { number: 3, name: 'Managed' }];
const DOMAINS = [{ id: 'ACCESS', name: 'Access and accounts' }, { id: 'PRIVILEGE', name: 'Privileged access' }, { id: 'REMOTE', name: 'Remote access' }];
const PRACTICES = [
  { id: 'ACCESS-1a', domain: 'ACCESS', level: 1, zoned: false, question: 'Is there an inventory of accounts for every system?' },
  { id: 'ACCESS-1b', domain: 'ACCESS', level: 1, zoned: true, question: 'Are shared accounts known and justified?' },
  { id: 'PRIVILEGE-1a', domain: 'PRIVILEGE', level: 1, zoned: false, question: 'Are privileged passwords unique per system?' },
  { id: 'PRIVILEGE-2a', domain: 'PRIVILEGE', level: 2, zoned: false, question: 'Are privileged credentials vaulted?' },
  { id: 'REMOTE-1a', domain: 'REMOTE', level: 1, zoned: false, question: 'Is vendor remote access approved per session?' },
];
const answers = new Map<string, { answer: string; note: string | null }>(Object.entries(cfg.answers).map(([k, v]) => [k, { answer: v, note: null }]));
let otInScope: boolean | null = Object.keys(cfg.answers).length ? true : null;
const targets = new Map<string, number>();
const evidence = new Map<string, string[]>();
let assessed = cfg.assessed || answers.size > 0;
const REFUTES = 'answered Fully implemented, but the scan found 9 shared privileged credentials';

function zoneClasses() {
  return otInScope === false ? ['IT', 'IoT'] : ['IT', 'OT', 'IoT'];
}
function items() {
  const out: any[] = [{ kind: 'question', id: 'ot', domain: null }];
  for (const p of PRACTICES) for (const z of p.zoned ? zoneClasses() : [null]) out.push({ kind: 'practice', id: p.id, zone: z, domain: p.domain });
  return out.map((i) => {
    const a = i.kind === 'question' ? (otInScope === null ? null : otInScope ? 'yes' : 'no') : (answers.get(`${i.id}|${i.zone ?? ''}`)?.answer ?? null);
    return { ...i, answered: a !== null, answer: a };
  });
}
function questionnaireView() {
  assessed = true;
  const its = items();
  const domains = DOMAINS.map((d) => {
    const mine = its.filter((i) => i.domain === d.id);
    return { ...d, answered: mine.filter((i) => i.answered).length, applicable: mine.length, target: targets.get(d.id) ?? null };
  });
  const next = its.findIndex((i) => !i.answered);
  return {
    model_id: 'credence-itot-identity', model_name: 'Credence IT/OT identity maturity', model_version: '1.0', round_id: 1, round_label: 'first assessment',
    levels: LEVELS, zone_classes: ['IT', 'OT', 'IoT'], domains, items: its, next: next < 0 ? null : next,
    answered: domains.reduce((n, d) => n + d.answered, 0), total: domains.reduce((n, d) => n + d.applicable, 0), scan: scans.length ? scans.length : null,
  };
}
function practice(id: string, zone: string | null) {
  const p = PRACTICES.find((x) => x.id === id);
  if (!p) throw { kind: 'invalid', message: `credence-itot-identity has no practice '${id}'` };
  if (p.zoned !== (zone !== null) || (zone !== null && !['IT', 'OT', 'IoT'].includes(zone))) throw { kind: 'invalid', message: `${id}: zone does not fit` };
  return p;
}
function contradiction(id: string, answer: string | undefined) {
  return id === 'PRIVILEGE-1a' && (answer === 'fully' || answer === 'largely') && scans.length ? REFUTES : null;
}
function achieved(domain: string) {
  const ps = PRACTICES.filter((p) => p.domain === domain);
  let level = 0;
  for (const l of [1, 2, 3]) {
    const at = ps.filter((p) => p.level === l);
    if (!at.length || !at.every((p) => ['fully', 'largely'].includes(answers.get(`${p.id}|${p.zoned ? 'IT' : ''}`)?.answer ?? ''))) break;
    level = l;
  }
  return level;
}

interface MockRisk { id: string; title: string; likelihood: number; impact: number; status: string; owner: string | null; due: string; treatment: string; note: string | null; edited: string[] }
const TITLES = ['Shared privileged password across IT and OT', 'Vendor default credentials on field devices', 'Plaintext passwords in engineering share', 'Reversible Cisco type 7 secrets', 'No vaulting of service accounts', 'Stale accounts on historian'];
const risks: MockRisk[] = [];
function makeRisks(n: number) {
  for (let i = risks.length; i < n; i++) {
    const likelihood = 5 - (i % 3);
    const impact = 5 - (i % 4);
    risks.push({ id: `R-${String(i + 1).padStart(3, '0')}`, title: TITLES[i % TITLES.length], likelihood, impact, status: 'open', owner: null, due: '2027-01-15', treatment: 'Rotate the credential and move it to the vault.', note: null, edited: [] });
  }
}
makeRisks(cfg.risks);
function band(score: number) {
  return score >= 15 ? 'critical' : score >= 10 ? 'high' : score >= 5 ? 'medium' : 'low';
}
function registerView() {
  const heat = [0, 1, 2, 3, 4].map(() => [0, 0, 0, 0, 0]);
  const live = risks.filter((r) => r.status === 'open' || r.status === 'in_progress');
  live.forEach((r) => heat[r.likelihood - 1][r.impact - 1]++);
  const rows = [...risks]
    .sort((a, b) => b.likelihood * b.impact - a.likelihood * a.impact || a.id.localeCompare(b.id))
    .map((r, i) => ({
      id: r.id, rank: i + 1, origin: 'rule', title: r.title, description: `${r.title}: found in files anyone on the share can read.`, zones: ['IT', 'OT-L2'], systems: ['hist01'],
      identities: ['svc_hist@hist01'], identity_count: 1, finding_count: 3, answer_count: 0, attack: ['T0859'], likelihood: r.likelihood, impact: r.impact,
      score: r.likelihood * r.impact, band: band(r.likelihood * r.impact), residual_score: 4, derivation: ['Likelihood 5: written in plain text.'], contradictions: [],
      treatment: r.treatment, practices: ['PRIVILEGE-1a'], owner: r.owner, owner_role: 'OT security lead', due: r.due, due_suggested: !r.edited.includes('due'),
      status: r.status, note: r.note, first_seen: '2026-11-29', evidence_gone: null, edited: r.edited,
    }));
  return { risks: rows, heat, live: live.length, regenerating: false };
}

interface MockReport { name: string; kind: 'pdf' | 'xlsx'; bytes: number; modified: string; outline: unknown }

/** A real (tiny) PDF for the preview: `pages` A4 pages, each filled with a block of
 *  its own colour (odd pages teal, even pages orange) so a test can tell them apart. */
function tinyPdf(pages: number): Uint8Array {
  const objs: string[] = [];
  const kids = Array.from({ length: pages }, (_, i) => `${3 + 2 * i} 0 R`).join(' ');
  objs.push('<< /Type /Catalog /Pages 2 0 R >>');
  objs.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  for (let i = 0; i < pages; i++) {
    const colour = i % 2 === 0 ? '0.06 0.46 0.43' : '0.76 0.25 0.05';
    const content = `${colour} rg 60 160 475 600 re f`;
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${4 + 2 * i} 0 R >>`);
    objs.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  }
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
const reports: MockReport[] = [];
const OUT = '/home/tester/.local/share/org.credence.desktop/sample/brightwater-sample-reports';

const handlers: Record<string, (a: any) => unknown> = {
  app_info: () => ({ version: '0.1.0', sample_available: true, open_sample_on_start: false, default_folder: '/home/tester/Documents/Credence', recent: opened ? [{ path: opened.path, client: opened.meta.client, site: opened.meta.site, opened: '2026-11-29T10:00:00Z' }] : [], open: opened }),
  choose_engagement_location: () => '/home/tester/cases/chosen.credence',
  choose_engagement_file: () => null,
  create_engagement: ({ input }) => {
    unlock(input.passphrase);
    if (!input.client?.trim() || !input.site?.trim()) throw { kind: 'invalid', message: 'client is required' };
    opened = { path: input.location ?? '/home/tester/Documents/Credence/new.credence', meta: meta(input.client, input.site), key_note: cfg.passphrase ? 'engagement key protected by a passphrase' : 'engagement key stored in the mock keyring', recent: [] };
    sources = [];
    scans.length = 0;
    findingCount = 0;
    return opened;
  },
  open_engagement: ({ passphrase }) => { unlock(passphrase); return opened; },
  open_sample: ({ passphrase }) => {
    unlock(passphrase);
    opened = { path: '/home/tester/.local/share/org.credence.desktop/sample/brightwater-sample.credence', meta: meta('Brightwater Hydro & Grid (sample)', 'Hydro plant and substation'), key_note: 'engagement key from the mock keyring', recent: [] };
    sources = [{ id: 1, root: '/opt/credence/sample-data', added: '2026-11-29T10:00:00Z', kind: 'folder' }];
    return opened;
  },
  close_engagement: () => { opened = null; return null; },
  recent_engagements: () => [],
  list_sources: () => { needEngagement(); return sources; },
  pick_sources: () => sources,
  add_dropped_sources: ({ paths }) => { sources = [...sources, ...paths.map((p: string, i: number) => ({ id: sources.length + i + 1, root: p, added: '', kind: 'folder' as const }))]; return sources; },
  add_sample_source: () => { sources = [...sources, { id: sources.length + 1, root: '/opt/credence/sample-data', added: '', kind: 'folder' }]; return sources; },
  remove_source: ({ id }) => { sources = sources.filter((s) => s.id !== id); return sources; },
  list_zones: () => ({ zones, rules, kinds: ZONES, rule_kinds: ['path-glob', 'hostname-pattern', 'cidr'] }),
  add_zone: ({ zone }) => { zones.push({ ...zone, description: null, criticality: Math.max(zone.safety, zone.availability, zone.regulatory) }); return handlers.list_zones({}); },
  add_zone_rule: ({ zone, kind, pattern, priority }) => { rules = [...rules, { id: rules.length + 10, zone, kind, pattern, priority }]; return handlers.list_zones({}); },
  remove_zone_rule: ({ id }) => { rules = rules.filter((r) => r.id !== id); return handlers.list_zones({}); },
  set_zone_criticality: ({ zone, safety, availability, regulatory }) => {
    const z = zones.find((x) => x.name === zone)!;
    Object.assign(z, { safety, availability, regulatory, criticality: Math.max(safety, availability, regulatory) });
    return handlers.list_zones({});
  },
  start_scan: () => startScan(),
  cancel_scan: () => false,
  scan_status: () => ({ running: scanning !== null, scans, interrupted: null }),
  file_errors: () => ({ scan: scans.length || null, files: scans.length ? [{ root: '/opt/credence/sample-data', path: 'it-share/broken.xlsx', reason: 'corrupt xlsx: bad zip' }] : [], last_run: [] }),
  findings_window: ({ query, offset, limit }) => {
    needEngagement();
    const v = build(query);
    const rows: DisplayRow[] = v.slice(offset, offset + Math.min(limit, 1000)).map((e) =>
      typeof e === 'number' ? { kind: 'finding', ...finding(e) } : { kind: 'group', key: e.g, count: e.n, collapsed: e.c },
    );
    const matching = v.reduce<number>((n, e) => n + (typeof e === 'number' ? 1 : e.c ? e.n : 0), 0);
    return { scan: scans.length, total: findingCount, matching, entries: v.length, offset, rows };
  },
  findings_facets: () => ({ total: findingCount, status: [['open', findingCount - status.size]], category: [['password', findingCount]], rule: RULES.map((r) => [r, 1]), zone: ZONES.slice(0, 4).map((z) => [z, 1]), flag: FLAGS.map((f) => [f, 1]) }),
  triage_findings: ({ selection, status: s }) => {
    const ids: number[] = selection.ids ? selection.ids.map((x: string) => Number(x.slice(1))) : build(selection.query).filter((e): e is number => typeof e === 'number');
    ids.forEach((i) => status.set(i, s));
    viewKey = '';
    return ids.length;
  },
  reveal_finding: () => null,
  identity_graph: () => graph(),
  questionnaire: () => { needEngagement(); return questionnaireView(); },
  questionnaire_item: ({ kind, id, zone }) => {
    needEngagement();
    if (kind === 'question') return { kind: 'question', id, text: 'Does the site run operational technology (control systems, field devices)?', status: otInScope === null ? 'open' : otInScope ? 'yes' : 'no' };
    const p = practice(id, zone ?? null);
    const rec = answers.get(`${id}|${zone ?? ''}`);
    const d = DOMAINS.find((x) => x.id === p.domain)!;
    return {
      kind: 'practice', id, domain: d.id, domain_name: d.name, level: p.level, level_name: LEVELS[p.level - 1].name, zone: zone ?? null, question: p.question,
      guidance: 'Ask for the list and compare it with the accounts the scan found.', evidence_examples: ['account inventory export', 'access review minutes'],
      indicators: scans.length ? [{ id: 'shared_privileged', label: 'shared privileged credentials', count: 9, by_zone: { IT: 4, OT: 5 }, examples: ['engineering-share/control-room/shift-handover.txt:5 (admin@HMI)'] }] : [],
      scan: scans.length || null, answer: rec?.answer ?? null, note: rec?.note ?? null, answered_at: rec ? '2026-11-29T10:30:00Z' : null,
      contradiction: contradiction(id, rec?.answer), attached: (evidence.get(`${id}|${zone ?? ''}`) ?? []).map((n) => ({ name: n, size: 1200, hash: 'ab12cd34ef56', added: '2026-11-29T10:31:00Z' })),
      mappings: ['C2M2:ACCESS-1a', 'CSF:PR.AA-01'],
    };
  },
  record_answer: ({ practice: id, zone, answer, note }) => {
    needEngagement();
    practice(id, zone ?? null);
    if (!['fully', 'largely', 'partially', 'not', 'not_applicable', 'unknown'].includes(answer)) throw { kind: 'invalid', message: 'answer must be one of …' };
    answers.set(`${id}|${zone ?? ''}`, { answer, note: note ?? null });
    return { view: questionnaireView(), contradiction: contradiction(id, answer) };
  },
  clear_answer: ({ practice: id, zone }) => { answers.delete(`${id}|${zone ?? ''}`); return questionnaireView(); },
  set_applicability: ({ question, applies }) => {
    if (question !== 'ot') throw { kind: 'invalid', message: `no question '${question}'` };
    otInScope = applies;
    return questionnaireView();
  },
  set_target: ({ domain, level }) => {
    if (!DOMAINS.some((d) => d.id === domain) || level > 3) throw { kind: 'invalid', message: 'bad target' };
    targets.set(domain, level);
    return questionnaireView();
  },
  attach_evidence: ({ practice: id, zone }) => {
    const k = `${id}|${zone ?? ''}`;
    evidence.set(k, [...(evidence.get(k) ?? []), 'access-review-minutes.pdf']);
    return handlers.questionnaire_item({ kind: 'practice', id, zone });
  },
  assessment_templates: () => [{ id: 'credence-itot-identity', name: 'Credence IT/OT identity maturity', version: '1.0', domains: 3, practices: 5, levels: 3 }],
  maturity_results: () => {
    needEngagement();
    if (!assessed) return null;
    const previous = [1, 0, 1];
    const domains = DOMAINS.map((d, i) => ({ ...d, achieved: achieved(d.id), target: targets.get(d.id) ?? (i === 1 ? 2 : null), previous: previous[i], practices_applicable: 2, practices_answered: PRACTICES.filter((p) => p.domain === d.id && answers.has(`${p.id}|${p.zoned ? 'IT' : ''}`)).length }));
    const practices = PRACTICES.map((p) => {
      const a = answers.get(`${p.id}|${p.zoned ? 'IT' : ''}`)?.answer ?? null;
      return { practice_id: p.id, domain_id: p.domain, level: p.level, question: p.question, answer: a, zone_answers: [], note: null, contradiction: contradiction(p.id, a ?? undefined), gap_risk: { title: `Gap: ${p.question}`, likelihood: 3, impact: p.level === 1 ? 4 : 3, recommendation: 'Close the gap before the next review.', attack: [] }, mappings: [] };
    });
    const gaps = practices.filter((p) => ['partially', 'not', 'unknown'].includes(p.answer ?? '')).sort((a, b) => a.level - b.level || b.gap_risk.impact - a.gap_risk.impact).map((p) => p.practice_id);
    return { model_id: 'credence-itot-identity', model_name: 'Credence IT/OT identity maturity', model_version: '1.0', max_level: 3, domains, practices, label: 'first assessment', overall: Math.min(...domains.map((d) => d.achieved)), progress: [], gaps, evidence: { scan: null, indicators: {} }, trend: { compared_with: 'this engagement, round 1' }, attack_notice: null };
  },
  risk_register: () => { needEngagement(); return registerView(); },
  edit_risk: ({ id, edits }) => {
    const r = risks.find((x) => x.id === id);
    if (!r) throw { kind: 'invalid', message: `no risk with id '${id}'` };
    if (edits.status && !['open', 'in_progress', 'accepted', 'resolved'].includes(edits.status)) throw { kind: 'invalid', message: 'status' };
    for (const k of ['owner', 'due', 'status', 'treatment', 'note'] as const) {
      if (edits[k] !== undefined) {
        (r as any)[k] = edits[k] === '' ? (k === 'owner' || k === 'note' ? null : (r as any)[k]) : edits[k];
        if (!r.edited.includes(k)) r.edited.push(k);
      }
    }
    return registerView();
  },
  regenerate_register: () => {
    needEngagement();
    setTimeout(() => {
      makeRisks(Math.max(6, risks.length));
      emit('register-regenerated', { engagement: opened!.path, ok: true, risks: risks.length, live: risks.filter((r) => r.status === 'open' || r.status === 'in_progress').length, message: null });
    }, 100);
    return true;
  },
  list_reports: () => { needEngagement(); return { folder: OUT, files: [...reports].reverse(), generating: false }; },
  generate_report: ({ kind }) => {
    needEngagement();
    if (!['pdf', 'xlsx'].includes(kind)) throw { kind: 'invalid', message: 'kind must be one of pdf, xlsx' };
    setTimeout(() => {
      const file: MockReport = {
        name: `brightwater-sample-2026-11-29.${kind}`, kind, bytes: kind === 'pdf' ? 61_440 : 48_000, modified: '2026-11-29T12:00:00Z',
        outline: kind === 'pdf' ? { title: `Identity risk assessment: ${opened!.meta.client} / ${opened!.meta.site}`, pages: 9, sections: ['Summary for the board', 'Top risks', 'How credentials cross into OT', 'Maturity', 'Roadmap', 'Method', 'Appendix', 'Appendix', 'Appendix'] } : null,
      };
      const i = reports.findIndex((r) => r.name === file.name);
      if (i >= 0) reports.splice(i, 1);
      reports.push(file);
      emit('report-ready', { engagement: opened!.path, ok: true, file, elapsed_ms: 1800, notes: [] });
    }, 150);
    return true;
  },
  save_report: ({ name }) => {
    if (!reports.some((r) => r.name === name)) throw { kind: 'invalid', message: `'${name}' is not a report of this engagement` };
    return `/home/tester/Desktop/${name}`;
  },
  open_report: ({ name }) => {
    if (!reports.some((r) => r.name === name)) throw { kind: 'invalid', message: `'${name}' is not a report of this engagement` };
    return null;
  },
  report_pdf: ({ name }) => {
    const r = reports.find((f) => f.name === name && f.kind === 'pdf');
    if (!r) throw { kind: 'invalid', message: `'${name}' is not a report of this engagement` };
    return tinyPdf(9).buffer;
  },
  overview: () => ({
    path: opened?.path, meta: opened?.meta, key_note: opened?.key_note, sources: sources.length, latest_scan: scans[scans.length - 1] ?? null, scans: scans.length, findings: findingCount,
    by_status: { open: findingCount - status.size, confirmed: status.size }, by_category: [['password', findingCount]],
    metrics: { identities: 61, credentials: 74, privileged: 17, shared: 9, shared_credentials: 6, non_human: 14, cross_boundary: 3, cross_boundary_paths: 4, reused_across_zones: 5, default: 8, older_than_1y: 40, older_than_4y: 6 },
    top_credentials: [{ fingerprint: 'fp00000000', label: 'P*******! [fp000000]', sources: ['a'], accounts: ['svc_hist@hist01'], systems: ['hist01'], zones: ['OT-L3'], flags: ['privileged'], shared: true, cross_zone: true, blast_radius: 9 }],
    cross_paths: graph().paths, total_cross_paths: 1,
    maturity: assessed ? { model_name: 'Credence IT/OT identity maturity', overall: 0, max_level: 3, answered: answers.size, applicable: 7, gaps: 1, contradictions: 1, domains: DOMAINS.map((d) => [d.id, d.name, achieved(d.id), targets.get(d.id) ?? null]) } : null,
    top_risks: registerView().risks.filter((r) => r.status === 'open' || r.status === 'in_progress').slice(0, 5).map((r) => ({ id: r.id, title: r.title, score: r.score, band: r.band, status: r.status, owner: r.owner, due: r.due })),
    risks_total: risks.length, risks_live: risks.filter((r) => r.status === 'open' || r.status === 'in_progress').length,
  }),
};

mockIPC(
  (cmd, args) => {
    calls.push({ cmd, args });
    const h = handlers[cmd];
    if (!h) throw new Error(`mock backend: no command ${cmd}`);
    return h(args ?? {});
  },
  { shouldMockEvents: true },
);

// Lets a test fire what Rust fires (menu choices, drops).
(globalThis as any).__CREDENCE_EMIT__ = (event: string, payload: unknown) => emit(event, payload);

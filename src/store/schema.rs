//! The engagement file's schema and its forward migrations.
//!
//! `MIGRATIONS[i]` takes a file from `user_version = i` to `i + 1`. A released
//! migration is never edited: a schema change is a new entry at the end (v2 = a new
//! `V2_SQL` pushed onto the list), and `tests/engagement_store.rs` opens a file made by
//! every earlier version and migrates it.

/// `PRAGMA application_id` of every engagement file: "CRED".
pub const APPLICATION_ID: i32 = 0x4352_4544;

/// Version 1: engagement, vault, sources, scans, files, findings with triage, zones.
pub const V1_SQL: &str = r#"
CREATE TABLE engagement (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    uid         TEXT NOT NULL,
    client      TEXT NOT NULL,
    site        TEXT NOT NULL,
    assessor    TEXT,
    marking     TEXT,
    created     TEXT NOT NULL,
    updated     TEXT NOT NULL
);

-- How the engagement key is protected. 'keyring': the key is in the OS keyring under
-- the engagement uid and nothing secret is here. 'passphrase': the key wrapped with
-- ChaCha20-Poly1305 under an Argon2id key from the passphrase.
CREATE TABLE vault (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    protection  TEXT NOT NULL CHECK (protection IN ('keyring', 'passphrase')),
    kdf         TEXT,
    salt        BLOB,
    nonce       BLOB,
    wrapped     BLOB,
    key_check   TEXT NOT NULL
);

CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    root        TEXT NOT NULL UNIQUE,
    added       TEXT NOT NULL
);

CREATE TABLE scans (
    id              INTEGER PRIMARY KEY,
    started         TEXT NOT NULL,
    started_unix    INTEGER NOT NULL,
    finished        TEXT,
    status          TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed')),
    roots           TEXT NOT NULL,
    files_seen      INTEGER NOT NULL DEFAULT 0,
    files_scanned   INTEGER NOT NULL DEFAULT 0,
    files_reused    INTEGER NOT NULL DEFAULT 0,
    files_errors    INTEGER NOT NULL DEFAULT 0,
    findings        INTEGER NOT NULL DEFAULT 0,
    resumed         INTEGER NOT NULL DEFAULT 0,
    -- The process running the scan: a `running` scan whose process is gone was
    -- interrupted (resume it); one whose process is alive is in progress (refuse).
    pid             INTEGER,
    host            TEXT
);

-- One row per version of a file (root, path, size, mtime, content) as a scan read it.
CREATE TABLE files (
    id              INTEGER PRIMARY KEY,
    root            TEXT NOT NULL,
    path            TEXT NOT NULL,
    size            INTEGER NOT NULL,
    mtime_ns        INTEGER,
    content_hash    TEXT,
    status          TEXT NOT NULL CHECK (status IN ('scanned', 'duplicate', 'skipped', 'error')),
    reason          TEXT,
    findings        INTEGER NOT NULL DEFAULT 0,
    recorded_scan   INTEGER NOT NULL REFERENCES scans(id)
);
CREATE INDEX files_by_path ON files (root, path);

-- Which file versions each scan saw: an unchanged file costs a re-scan one small row.
CREATE TABLE scan_files (
    scan_id     INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    file_id     INTEGER NOT NULL REFERENCES files(id),
    reused      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scan_id, file_id)
) WITHOUT ROWID;

-- One row per finding id (location + fingerprint): never a plaintext, only the masked
-- preview and the keyed fingerprint. `data` is the finding record as JSON.
CREATE TABLE findings (
    id              TEXT PRIMARY KEY,
    root            TEXT NOT NULL,
    path            TEXT NOT NULL,
    rule            TEXT NOT NULL,
    category        TEXT NOT NULL,
    username        TEXT,
    system          TEXT,
    fingerprint     TEXT NOT NULL,
    flags           TEXT NOT NULL,
    data            TEXT NOT NULL,
    first_seen      INTEGER NOT NULL REFERENCES scans(id),
    last_seen       INTEGER NOT NULL REFERENCES scans(id),
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'confirmed', 'false_positive', 'accepted', 'fixed')),
    note            TEXT,
    who             TEXT,
    triaged_at      TEXT
);
CREATE INDEX findings_by_fingerprint ON findings (fingerprint);

-- The findings of each file version.
CREATE TABLE file_findings (
    file_id     INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    finding_id  TEXT NOT NULL REFERENCES findings(id),
    PRIMARY KEY (file_id, finding_id)
) WITHOUT ROWID;

-- Which findings each scan saw (diff between any two scans).
CREATE VIEW scan_findings AS
    SELECT sf.scan_id AS scan_id, ff.finding_id AS finding_id, f.root AS root, f.path AS path
    FROM scan_files sf JOIN files f ON f.id = sf.file_id JOIN file_findings ff ON ff.file_id = f.id;

CREATE TABLE zones (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('IT', 'DMZ', 'OT-L3', 'OT-L2', 'OT-L1', 'OT-L0', 'IoT', 'vendor', 'cloud')),
    safety          INTEGER NOT NULL CHECK (safety BETWEEN 1 AND 5),
    availability    INTEGER NOT NULL CHECK (availability BETWEEN 1 AND 5),
    regulatory      INTEGER NOT NULL CHECK (regulatory BETWEEN 1 AND 5),
    description     TEXT
);

CREATE TABLE zone_rules (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('path-glob', 'hostname-pattern', 'cidr')),
    pattern     TEXT NOT NULL,
    priority    INTEGER NOT NULL DEFAULT 100,
    UNIQUE (kind, pattern)
);

-- Identity metrics computed after each completed scan (JSON), for trend over time.
CREATE TABLE scan_metrics (
    scan_id     INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
    metrics     TEXT NOT NULL
);
"#;

/// The guided maturity assessment: rounds of a model, answers (per zone class where a
/// practice is zone-specific), applicability, targets and attached evidence files
/// (stored once by content hash; refused when they hold a credential).
pub const ASSESS_SQL: &str = r#"
CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY,
    model_id        TEXT NOT NULL,
    model_version   TEXT NOT NULL,
    label           TEXT NOT NULL,
    started         TEXT NOT NULL,
    updated         TEXT NOT NULL
);

-- zone '' = the practice as a whole; else the zone class (IT, OT, IoT) answered for.
CREATE TABLE assessment_answers (
    assessment_id   INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    practice_id     TEXT NOT NULL,
    zone            TEXT NOT NULL DEFAULT '',
    answer          TEXT NOT NULL CHECK (answer IN
                        ('fully', 'largely', 'partially', 'not', 'not_applicable', 'unknown')),
    note            TEXT,
    answered_at     TEXT NOT NULL,
    PRIMARY KEY (assessment_id, practice_id, zone)
) WITHOUT ROWID;

CREATE TABLE assessment_applicability (
    assessment_id   INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    question_id     TEXT NOT NULL,
    applies         INTEGER NOT NULL CHECK (applies IN (0, 1)),
    PRIMARY KEY (assessment_id, question_id)
) WITHOUT ROWID;

CREATE TABLE assessment_targets (
    assessment_id   INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    domain_id       TEXT NOT NULL,
    level           INTEGER NOT NULL CHECK (level >= 0),
    PRIMARY KEY (assessment_id, domain_id)
) WITHOUT ROWID;

-- Attached files, once per content (blake3 hex).
CREATE TABLE evidence_files (
    hash            TEXT PRIMARY KEY,
    size            INTEGER NOT NULL,
    content         BLOB NOT NULL,
    added           TEXT NOT NULL
);

CREATE TABLE assessment_evidence (
    assessment_id   INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    practice_id     TEXT NOT NULL,
    zone            TEXT NOT NULL DEFAULT '',
    hash            TEXT NOT NULL REFERENCES evidence_files(hash),
    name            TEXT NOT NULL,
    added           TEXT NOT NULL,
    PRIMARY KEY (assessment_id, practice_id, zone, hash)
) WITHOUT ROWID;
"#;

/// The risk register: one row per risk, the generated content apart from what people
/// changed (owner, due date, status, wording, note), so regeneration never overwrites
/// an edit. Risks are never deleted: `evidence_gone` marks one resolved.
pub const RISK_SQL: &str = r#"
CREATE TABLE risks (
    id              TEXT PRIMARY KEY,           -- R-001, given once
    seq             INTEGER NOT NULL UNIQUE,
    key             TEXT NOT NULL UNIQUE,       -- rule:<id>, gap:<slug>, manual:<n>
    origin          TEXT NOT NULL CHECK (origin IN ('rule', 'gap', 'manual')),
    content         TEXT NOT NULL,              -- last generated content (JSON, no secret)
    first_seen      TEXT NOT NULL,              -- YYYY-MM-DD
    last_seen       TEXT NOT NULL,
    evidence_gone   TEXT,                       -- YYYY-MM-DD: resolved by the evidence
    title           TEXT,
    description     TEXT,
    treatment       TEXT,
    owner           TEXT,
    due             TEXT,
    status          TEXT CHECK (status IS NULL OR status IN ('open', 'in_progress', 'accepted', 'resolved')),
    note            TEXT,
    edited_by       TEXT,
    edited_at       TEXT
);
"#;

/// Each root's folder listings as the last walk kept them (`ingest::walk::listing`):
/// a re-scan reads again only the folders whose stamp changed. Names and kinds only,
/// in one blob per root; a blob that does not decode is ignored.
pub const LISTINGS_SQL: &str = r#"
CREATE TABLE dir_listings (
    root            TEXT PRIMARY KEY,
    scan_id         INTEGER NOT NULL,
    data            BLOB NOT NULL
);
"#;

/// A completed scan's good file versions in one blob (`store::snapshot`), so the
/// next scan's loader reads one row instead of joining every file's: a cache of
/// `scan_files` and `files`, made from them. A scan that reused every version of the
/// snapshot it loaded, and recorded nothing else, shares that blob; only the latest
/// scans keep theirs.
pub const SNAPSHOTS_SQL: &str = r#"
CREATE TABLE version_snapshots (
    id              INTEGER PRIMARY KEY,
    data            BLOB NOT NULL
);
CREATE TABLE scan_snapshots (
    scan_id         INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
    snapshot_id     INTEGER NOT NULL REFERENCES version_snapshots(id)
);
"#;

/// A scan that saw exactly the versions an earlier scan recorded (an unchanged
/// re-scan: every version of the snapshot it loaded reused, nothing else recorded)
/// writes no row per file: its rows are those of `same_files_as`, a scan with rows of
/// its own. Queries find a scan's rows through [`ROWS_OF`]; `scan_findings` does.
pub const SAME_FILES_SQL: &str = r#"
ALTER TABLE scans ADD COLUMN same_files_as INTEGER REFERENCES scans(id);
DROP VIEW scan_findings;
CREATE VIEW scan_findings AS
    SELECT s.id AS scan_id, ff.finding_id AS finding_id, f.root AS root, f.path AS path
    FROM scans s JOIN scan_files sf ON sf.scan_id = coalesce(s.same_files_as, s.id)
    JOIN files f ON f.id = sf.file_id JOIN file_findings ff ON ff.file_id = f.id;
"#;

/// The scan whose `scan_files` rows are scan `?1`'s: itself, or the scan it saw the
/// same files as. Evaluated once per statement, so `scan_files` is still searched by
/// its key.
pub const ROWS_OF: &str = "(SELECT coalesce(same_files_as, id) FROM scans WHERE id = ?1)";

/// Every migration in order; the schema version a binary knows is its length.
pub const MIGRATIONS: &[&str] = &[
    V1_SQL,
    ASSESS_SQL,
    RISK_SQL,
    LISTINGS_SQL,
    SNAPSHOTS_SQL,
    SAME_FILES_SQL,
];

/// The schema version this binary writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

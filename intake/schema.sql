-- Raw layer of the DuckDB work file. Written only by ingest/warehouse.py; read by dbt as sources.
-- Append-only in spirit: every received version of every submission stays, its status changes as rules decide.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.submissions (
    submission_id   VARCHAR PRIMARY KEY,   -- "<district_code>-<year>-v<version>"
    district_code   VARCHAR NOT NULL,      -- the tenant the file was filed under (landing path / --district)
    year            INTEGER NOT NULL,
    version         INTEGER NOT NULL,      -- 1, 2, … per district-year, in order received
    sha256          VARCHAR NOT NULL,      -- the original bytes are kept at archive/<sha256>
    file_name       VARCHAR NOT NULL,      -- as the district named it (display only, never used as a path)
    file_format     VARCHAR NOT NULL,      -- txt, docx, pdf, xlsx, csv
    size_bytes      BIGINT NOT NULL,
    received_at     TIMESTAMP NOT NULL,
    status          VARCHAR NOT NULL,      -- received, accepted, rejected, superseded, quarantined
    status_reason   VARCHAR,               -- why rejected/quarantined, in Chinese
    doc_org         VARCHAR,               -- the union the document names itself
    doc_year        INTEGER,               -- the year the document names
    doc_kind        VARCHAR,
    document_text   VARCHAR,               -- the normalised text every fact span indexes
    extractor_version VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.facts (
    submission_id   VARCHAR NOT NULL,
    fact_id         VARCHAR NOT NULL,      -- "f1", … unique within the submission
    kind            VARCHAR NOT NULL,      -- amount, count, ratio
    label           VARCHAR NOT NULL,
    value           DECIMAL(24,6) NOT NULL, -- amounts in 元; exact (the marts sum decimals, never doubles)
    unit            VARCHAR NOT NULL,
    measure         VARCHAR,               -- actual, budget, change, prior, rate or NULL
    parent_fact_id  VARCHAR,
    category        VARCHAR NOT NULL,
    section         VARCHAR,
    source_text     VARCHAR,               -- the sentence (or template cell reference) the figure came from
    span_start      INTEGER,
    span_end        INTEGER,
    value_precision DOUBLE NOT NULL,       -- half a unit of the last stated digit, in 元 for amounts
    approx          BOOLEAN NOT NULL,
    derived         BOOLEAN NOT NULL,
    direction       VARCHAR,
    restates_fact_id VARCHAR,              -- the fact this one states again (a headline or lead repeating the body)
    scope           VARCHAR,               -- all_levels: all unions of the area together (全市各级工会…), not this one
    PRIMARY KEY (submission_id, fact_id)
);

-- Where on a page image each fact of a scanned submission (a PDF without text, a photo) was read: its provenance is
-- the picture of the line as well as the recognised sentence. One row per fact read by OCR (ingest.scan_places).
CREATE TABLE IF NOT EXISTS raw.scan_places (
    submission_id   VARCHAR NOT NULL,
    fact_id         VARCHAR NOT NULL,
    page            INTEGER NOT NULL,      -- 1-based page of the file
    box_x0          INTEGER NOT NULL,      -- the line's box in the page image rendered at 200 dpi
    box_y0          INTEGER NOT NULL,
    box_x1          INTEGER NOT NULL,
    box_y1          INTEGER NOT NULL,
    confidence      DOUBLE NOT NULL,       -- the recogniser's lowest score over the line(s), 0–1
    line_text       VARCHAR NOT NULL,      -- what was recognised there
    crop_png        BLOB,                  -- the cropped line image (PNG), what the machine saw
    PRIMARY KEY (submission_id, fact_id)
);

-- Findings of the per-submission rule catalogue (expectations/rules), one row per rule violation.
CREATE TABLE IF NOT EXISTS raw.submission_findings (
    submission_id   VARCHAR NOT NULL,
    rule_id         VARCHAR NOT NULL,
    severity        VARCHAR NOT NULL,      -- fatal, warning
    message         VARCHAR NOT NULL,      -- Chinese, for the district
    fact_id         VARCHAR,
    expected        DOUBLE,
    provided        DOUBLE,
    difference      DOUBLE
);

-- Who/what did what, append-only.
CREATE TABLE IF NOT EXISTS raw.audit_log (
    logged_at       TIMESTAMP NOT NULL,
    actor           VARCHAR NOT NULL,      -- "uwh submit", "sensor", "pipeline", …
    action          VARCHAR NOT NULL,      -- submitted, duplicate, validated, accepted, rejected, quarantined, published
    district_code   VARCHAR,
    year            INTEGER,
    submission_id   VARCHAR,
    detail          VARCHAR
);

-- What intake has already read in landing/ (path relative to it): a file whose size and mtime are unchanged is
-- recognised by its recorded hash without being read again, so a run over 30,000 stored files costs a stat each.
CREATE TABLE IF NOT EXISTS raw.landed_files (
    path            VARCHAR PRIMARY KEY,
    size_bytes      BIGINT NOT NULL,
    mtime_ns        BIGINT NOT NULL,
    sha256          VARCHAR NOT NULL,
    seen_at         TIMESTAMP NOT NULL
);
-- the inode's change time: a same-size edit whose mtime was put back still changes it (work files of earlier
-- versions gain the column; their files are read once more)
ALTER TABLE raw.landed_files ADD COLUMN IF NOT EXISTS ctime_ns BIGINT;

-- The federation's registry as this run read it from the installation's home (registry.csv): dbt's only source of
-- districts, replaced whole at every run, so a second federation is a second home, never a copy of the dbt project.
CREATE TABLE IF NOT EXISTS raw.tenants (
    district_code   VARCHAR PRIMARY KEY,
    district_name   VARCHAR NOT NULL,
    union_name      VARCHAR NOT NULL,
    city_name       VARCHAR,
    active          BOOLEAN NOT NULL
);

-- What districts and the city said about a version's figures (intake/review_ledger.py, append-only), copied here by
-- every run: events the warehouse has not seen are appended, none is ever changed. A version is named by its
-- district, year and the SHA-256 of its bytes (raw.submissions.sha256). dbt applies them in int_facts_corrected.
CREATE TABLE IF NOT EXISTS raw.fact_corrections (
    seq             BIGINT PRIMARY KEY,    -- the order things were said in (shared by the four tables)
    event_id        VARCHAR NOT NULL,
    district_code   VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    sha256          VARCHAR NOT NULL,
    fact_id         VARCHAR NOT NULL,
    field           VARCHAR NOT NULL,      -- value, category, measure, parent, excluded
    before_text     VARCHAR,
    after_text      VARCHAR,               -- the new value as text (NULL: cleared)
    anchor_text     VARCHAR,               -- the fact's sentence and value when corrected: applied only while the
    anchor_value    DOUBLE,                -- version's reading still has them
    reason          VARCHAR,
    actor           VARCHAR NOT NULL,
    recorded_at     TIMESTAMP NOT NULL
);

-- Figures a district added (the reader missed them): raw.facts' columns for the version, with who and why.
CREATE TABLE IF NOT EXISTS raw.added_facts (
    seq             BIGINT PRIMARY KEY,
    event_id        VARCHAR NOT NULL,
    district_code   VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    sha256          VARCHAR NOT NULL,
    fact_id         VARCHAR NOT NULL,      -- k1, k2, … (never an id the reader gives)
    kind            VARCHAR NOT NULL,
    label           VARCHAR NOT NULL,
    value           DECIMAL(24,6) NOT NULL,
    unit            VARCHAR NOT NULL,
    measure         VARCHAR,
    category        VARCHAR NOT NULL,
    source_text     VARCHAR,               -- the sentence pointed at, or NULL for a figure typed with a reason
    span_start      INTEGER,
    span_end        INTEGER,
    reason          VARCHAR,
    actor           VARCHAR NOT NULL,
    recorded_at     TIMESTAMP NOT NULL
);

-- 确认报送: the district confirmed the version's figures as they stood (corrections recorded before it).
CREATE TABLE IF NOT EXISTS raw.confirmations (
    seq             BIGINT PRIMARY KEY,
    event_id        VARCHAR NOT NULL,
    district_code   VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    sha256          VARCHAR NOT NULL,
    actor           VARCHAR NOT NULL,
    recorded_at     TIMESTAMP NOT NULL
);

-- 审核通过 / 退回 by the city, of the confirmation before it.
CREATE TABLE IF NOT EXISTS raw.reviews (
    seq             BIGINT PRIMARY KEY,
    event_id        VARCHAR NOT NULL,
    district_code   VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    sha256          VARCHAR NOT NULL,
    decision        VARCHAR NOT NULL,      -- approve, return
    comment         VARCHAR,
    actor           VARCHAR NOT NULL,
    recorded_at     TIMESTAMP NOT NULL
);

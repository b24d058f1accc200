"""The DuckDB schema of a dateline store, as numbered migrations.

A store records its schema version in ``meta``; opening an older store applies the
missing migrations in order, each in its own transaction. Add a migration; never edit
one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY,          -- content hash of the cleaned text
    url VARCHAR, title VARCHAR, published DATE, source VARCHAR, language VARCHAR,
    author VARCHAR, origin VARCHAR, text VARCHAR,
    contexts VARCHAR[],              -- story-level PLOVER contexts
    n_events INTEGER, n_quotes INTEGER, n_claims INTEGER,
    coder_version VARCHAR, coded_at TIMESTAMP
);

-- One row per coded event mention (the evidence of one story). Cross-story
-- deduplication groups mentions into canonical events through cluster_id.
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    origin VARCHAR NOT NULL DEFAULT 'dateline',   -- dateline | gdelt | icews | polecat
    type VARCHAR, mode VARCHAR, cameo VARCHAR, quad_class TINYINT, goldstein DOUBLE,
    plover_score DOUBLE,
    actor1_code VARCHAR, actor1_country VARCHAR, actor1_sector VARCHAR, actor1_name VARCHAR,
    actor2_code VARCHAR, actor2_country VARCHAR, actor2_sector VARCHAR, actor2_name VARCHAR,
    contexts VARCHAR[],
    date VARCHAR, date_precision VARCHAR, event_date DATE,  -- event_date: first day of `date`
    location_name VARCHAR, location_country VARCHAR, location_admin1 VARCHAR,
    lat DOUBLE, lon DOUBLE, geonameid BIGINT,
    negated BOOLEAN, hypothetical BOOLEAN, future BOOLEAN, historical BOOLEAN,
    sentence VARCHAR, sent_start INTEGER, sent_end INTEGER,
    trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
    confidence DOUBLE,
    cluster_id VARCHAR,
    source VARCHAR, url VARCHAR
);

-- Every actor and recipient of an event, in order (compound actors are lists).
CREATE TABLE IF NOT EXISTS event_actors (
    event_id VARCHAR NOT NULL, role VARCHAR NOT NULL, position INTEGER NOT NULL,
    text VARCHAR, name VARCHAR, country VARCHAR, sector VARCHAR, code VARCHAR,
    title VARCHAR, wikidata VARCHAR, start_char INTEGER, end_char INTEGER,
    PRIMARY KEY (event_id, role, position)
);

CREATE TABLE IF NOT EXISTS quotes (
    doc_id VARCHAR NOT NULL, position INTEGER NOT NULL,
    text VARCHAR, start_char INTEGER, end_char INTEGER,
    speaker_text VARCHAR, speaker_name VARCHAR, speaker_country VARCHAR,
    speaker_sector VARCHAR, speaker_code VARCHAR, speaker_title VARCHAR,
    PRIMARY KEY (doc_id, position)
);

CREATE TABLE IF NOT EXISTS claims (
    doc_id VARCHAR NOT NULL, position INTEGER NOT NULL,
    text VARCHAR, start_char INTEGER, end_char INTEGER,
    value DOUBLE, unit VARCHAR, per VARCHAR, what VARCHAR,
    attributed_name VARCHAR, attributed_kind VARCHAR,
    PRIMARY KEY (doc_id, position)
);

CREATE TABLE IF NOT EXISTS rejections (
    id VARCHAR PRIMARY KEY, origin VARCHAR, reason VARCHAR, language VARCHAR,
    rejected_at TIMESTAMP
);
"""),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]

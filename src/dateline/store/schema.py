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
    # 10-19: store analytics (cross-story dedup, imports). Owned by issue 5.
    (10, """
-- Dedup keys of each mention (computed by dateline.store.dedup), and the counts an
-- imported dataset (GDELT, ICEWS, POLECAT) already carries for its own canonical events.
ALTER TABLE events ADD COLUMN IF NOT EXISTS dedup_block VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dedup_day DATE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS num_mentions INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS num_sources INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS num_articles INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS source_event_id VARCHAR;

-- One row per canonical event (a cluster of mentions of one real happening). id is the
-- id of the cluster's first mention in dedup order, so it does not depend on arrival order.
CREATE TABLE IF NOT EXISTS clusters (
    id VARCHAR PRIMARY KEY,
    origin VARCHAR NOT NULL,
    type VARCHAR, mode VARCHAR, cameo VARCHAR, quad_class TINYINT, goldstein DOUBLE,
    plover_score DOUBLE,
    actor1_code VARCHAR, actor1_country VARCHAR, actor1_sector VARCHAR, actor1_name VARCHAR,
    actor2_code VARCHAR, actor2_country VARCHAR, actor2_sector VARCHAR, actor2_name VARCHAR,
    actor_countries VARCHAR[], recipient_countries VARCHAR[], party_codes VARCHAR[],
    party_sectors VARCHAR[], n_parties INTEGER,
    contexts VARCHAR[],
    date VARCHAR, date_precision VARCHAR, event_date DATE,
    location_name VARCHAR, location_country VARCHAR, location_admin1 VARCHAR,
    lat DOUBLE, lon DOUBLE, geonameid BIGINT,
    negated BOOLEAN, hypothetical BOOLEAN, future BOOLEAN, historical BOOLEAN,
    factual BOOLEAN,
    num_mentions INTEGER, num_sources INTEGER, num_stories INTEGER,
    first_seen DATE, last_seen DATE,
    representative_id VARCHAR, doc_id VARCHAR, sentence VARCHAR, trigger VARCHAR,
    confidence DOUBLE, source VARCHAR, url VARCHAR, source_event_id VARCHAR
);

-- One row per imported file: what was loaded, skipped, and when.
CREATE TABLE IF NOT EXISTS import_files (
    path VARCHAR, sha256 VARCHAR, format VARCHAR, origin VARCHAR,
    rows_loaded INTEGER, rows_skipped INTEGER, imported_at TIMESTAMP
);
"""),
    (11, """
-- The dedup keys of each event mention, computed once when it is stored (see
-- dateline.store.clustering): candidate pairs are found by joins over this table, so a
-- batch looks only at mentions of the same type near the same dates. Insert-only: a
-- mention's keys never change. (events.dedup_block / dedup_day are no longer written.)
CREATE TABLE IF NOT EXISTS mention_keys (
    id VARCHAR NOT NULL,          -- events.id
    block VARCHAR,                -- 'dateline|<PLOVER type>'; NULL: the mention never merges
    day DATE,                     -- event date, or the story date standing in
    rank TINYINT,                 -- date precision: 0 day, 1 month, 2 year
    dnum INTEGER, ym INTEGER, yr INTEGER,  -- day number, year*12+month-1, year
    mode VARCHAR,
    aside VARCHAR,                -- acting parties, all for reciprocal types: 'MEX/COP|/CRM'
    rside VARCHAR,                -- recipients ('' for reciprocal types)
    place VARCHAR,                -- place key (name, country, admin1, geonameid); NULL: none
    plevel TINYINT,               -- 0 city, 1 admin1, 2 country, 9 no place
    idx VARCHAR[],                -- tokens a mention is found by: its acting countries, '*', 'all'
    qry VARCHAR[]                 -- tokens it looks for: its acting countries and '*', or 'all'
);
"""),
    (12, """
-- The connected component of each stored mention in the graph of compatible pairs, for
-- mentions with a compatible partner (comp: the id of the component's first mention in
-- dedup order; a mention without a row is alone). A batch of new mentions re-clusters the
-- components they join, found in one step, and so ends where a rebuild ends.
CREATE TABLE IF NOT EXISTS mention_components (id VARCHAR NOT NULL, comp VARCHAR NOT NULL);
-- Stores written before components were kept: their mentions lose their keys, so the next
-- writer clusters them all again (once) and records their components.
DELETE FROM mention_keys;
"""),
    # 20-29: dashboard reviews. Owned by issue 6 (dateline.web).
    (20, """
-- A person's verdict on one coded event mention, made in the dashboard. The coded event
-- is never altered: the latest review of an event wins when gold files are written.
CREATE TABLE IF NOT EXISTS reviews (
    id VARCHAR PRIMARY KEY,          -- content hash of the review
    event_id VARCHAR NOT NULL,
    doc_id VARCHAR,
    verdict VARCHAR NOT NULL,        -- correct | wrong | corrected
    type VARCHAR, mode VARCHAR,      -- the corrected PLOVER type and mode (verdict corrected)
    actors VARCHAR[],                -- corrected actor codes (e.g. USAGOV); NULL = unchanged
    recipients VARCHAR[],            -- corrected recipient codes; NULL = unchanged
    note VARCHAR, reviewer VARCHAR,
    created_at TIMESTAMP NOT NULL
);
"""),
    (21, """
-- The dashboard's evidence view looks up an event's actors by event_id: without this index
-- each look-up scans the whole table. (No index on events.cluster_id: dedup updates it,
-- and DuckDB turns updates of indexed columns into delete + insert, slowing every batch.)
CREATE INDEX IF NOT EXISTS event_actors_event_idx ON event_actors (event_id);
"""),
]

SCHEMA_VERSION = max(n for n, _ in MIGRATIONS)


def applied_migrations(con) -> set[int]:
    """Numbers of the migrations already applied to this store (empty for a new file)."""
    import duckdb

    try:  # cheaper than asking information_schema, and opening happens once per batch
        rows = dict(con.execute(
            "SELECT key, value FROM meta WHERE key IN ('migrations', 'schema_version')"
        ).fetchall())
    except duckdb.CatalogException:
        return set()  # a new, empty file
    if rows.get("migrations"):
        return {int(n) for n in rows["migrations"].split(",") if n}
    if rows.get("schema_version"):
        # Stores written before the applied-list existed: everything up to the version.
        version = int(rows["schema_version"])
        return {n for n, _ in MIGRATIONS if n <= version}
    return set()


def apply_migrations(con) -> list[int]:
    """Apply every migration this store lacks, in number order, one transaction each.

    The applied set is recorded (not only the highest number) because migration ranges
    are owned by different areas and may land out of order; gaps are fine.
    """
    done = applied_migrations(con)
    applied = []
    for number, sql in sorted(MIGRATIONS, key=lambda m: m[0]):
        if number in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            done.add(number)
            _record(con, done)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied


def _record(con, done: set[int]) -> None:
    listed = ",".join(str(n) for n in sorted(done))
    for key, value in (("migrations", listed), ("schema_version", str(max(done)))):
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

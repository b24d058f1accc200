"""Set-based cross-story dedup: the merge rule of :mod:`dateline.store.dedup`, run in SQL.

The rule itself stays in Python (``dedup.compatible``, ``compare``) and decides every merge;
what moves to DuckDB is finding who could merge. Each stored mention gets its keys once
(``mention_keys``); candidate pairs come from equi-joins on (type, date key, acting
country); the party and place checks are evaluated in Python once per *distinct* pair of
values, not per pair of mentions. Mentions without a compatible partner are their own
events without reaching Python; a group of mentions all compatible with each other is one
event (what complete-link clustering gives a clique); only the rest, usually few, go
through ``dedup``'s greedy clustering, with the compatible pairs already known. The result
is the result of ``dedup.cluster_mentions`` over the same mentions (tested on fixtures and
on random sets): connected groups of compatible mentions never influence each other.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dateline.store.allocator import eager_release, purge
from dateline.store.dedup import (
    _LEVEL_RANK,
    GENERIC_SECTORS,
    RECIPROCAL_TYPES,
    _place,
    _places_ok,
    _side,
    _side_check,
    registered,
)

# More mentions awaiting clustering than this, or than the store held before them, are
# clustered with the whole store, set-based: a rebuild costs less then.
BIG_BATCH = 500_000
_NONE = "\x1e"  # stands for NULL inside a place key
_SEP = "\x1f"

_RECIPROCAL_SQL = ", ".join(f"'{t}'" for t in sorted(RECIPROCAL_TYPES))
_PART = ("coalesce(a.country, '') || '/' || coalesce(a.sector, '')")

# Raw keys of event mentions: everything but the tokens and the place level (Python's).
_RAW_SQL = f"""
WITH ev AS (
    -- only the columns the keys need: the sentences and names stay on disk
    SELECT e.id, e.doc_id, e.origin, e.type, e.mode, e.negated, e.hypothetical, e.future,
           e.event_date, e.date_precision, e.location_name, e.location_country,
           e.location_admin1, e.geonameid, e.actor1_country, e.actor1_sector,
           e.actor2_country, e.actor2_sector
    FROM events e {{where}}),
parts AS (
    SELECT a.event_id, left(a.role, 1) = 'a' AS acting, {_PART} AS part
    FROM event_actors a SEMI JOIN ev ON ev.id = a.event_id
), parties AS (
    -- At most two distinct parts are their min and max (aggregates far cheaper than lists);
    -- events with more parties on a side are listed in full below.
    SELECT event_id,
           count(*) FILTER (WHERE acting) AS an,
           min(part) FILTER (WHERE acting) AS alo,
           max(part) FILTER (WHERE acting) AS ahi,
           count(*) FILTER (WHERE NOT acting) AS rn,
           min(part) FILTER (WHERE NOT acting) AS rlo,
           max(part) FILTER (WHERE NOT acting) AS rhi
    FROM parts GROUP BY event_id
), many AS (
    SELECT event_id,
           coalesce(list_sort(list_distinct(list(part) FILTER (WHERE acting))), []) AS acts,
           coalesce(list_sort(list_distinct(list(part) FILTER (WHERE NOT acting))), [])
               AS recs
    FROM parts SEMI JOIN (SELECT event_id FROM parties WHERE an > 2 OR rn > 2) m
        ON m.event_id = parts.event_id
    GROUP BY event_id
), p AS (
    SELECT e.id,
           CASE WHEN pt.event_id IS NULL
                -- events stored without event_actors rows: their actor1 / actor2 columns
                THEN list_filter([coalesce(e.actor1_country, '') || '/'
                                  || coalesce(e.actor1_sector, '')], lambda x: x <> '/')
                WHEN pt.an > 2 THEN m.acts WHEN pt.an = 0 THEN []::VARCHAR[]
                WHEN pt.alo = pt.ahi THEN [pt.alo] ELSE [pt.alo, pt.ahi] END AS acts,
           CASE WHEN pt.event_id IS NULL
                THEN list_filter([coalesce(e.actor2_country, '') || '/'
                                  || coalesce(e.actor2_sector, '')], lambda x: x <> '/')
                WHEN pt.rn > 2 THEN m.recs WHEN pt.rn = 0 THEN []::VARCHAR[]
                WHEN pt.rlo = pt.rhi THEN [pt.rlo] ELSE [pt.rlo, pt.rhi] END AS recs
    FROM ev e LEFT JOIN parties pt ON pt.event_id = e.id
    LEFT JOIN many m ON m.event_id = e.id
)
SELECT e.id,
       CASE WHEN coalesce(nullif(e.origin, ''), 'dateline') = 'dateline'
                 AND NOT (coalesce(e.negated, false) OR coalesce(e.hypothetical, false)
                          OR coalesce(e.future, false))
                 AND e.type IS NOT NULL AND coalesce(e.event_date, d.published) IS NOT NULL
            THEN 'dateline|' || e.type END AS block,
       coalesce(e.event_date, d.published) AS day,
       CASE WHEN e.event_date IS NULL THEN 0 WHEN e.date_precision = 'month' THEN 1
            WHEN e.date_precision = 'year' THEN 2 ELSE 0 END::TINYINT AS rank,
       e.mode,
       CASE WHEN e.type IN ({_RECIPROCAL_SQL})
            -- one named party only: the other is unknown (dedup._sides)
            THEN array_to_string(list_sort(CASE WHEN len(list_distinct(list_concat(p.acts, p.recs)))
                                                     = 1 AND NOT list_contains(p.acts, '/')
                                                 AND NOT list_contains(p.recs, '/')
                                                THEN list_append(list_distinct(
                                                    list_concat(p.acts, p.recs)), '/')
                                                ELSE list_distinct(list_concat(p.acts, p.recs))
                                           END), '|')
            ELSE array_to_string(p.acts, '|') END AS aside,
       CASE WHEN e.type IN ({_RECIPROCAL_SQL}) THEN ''
            ELSE array_to_string(p.recs, '|') END AS rside,
       CASE WHEN coalesce(e.location_name, '') <> '' OR coalesce(e.location_country, '') <> ''
            THEN concat_ws('{_SEP}', coalesce(e.location_name, '{_NONE}'),
                           coalesce(e.location_country, '{_NONE}'),
                           coalesce(e.location_admin1, '{_NONE}'),
                           coalesce(CAST(e.geonameid AS VARCHAR), '{_NONE}')) END AS place
FROM ev e
JOIN p ON p.id = e.id
LEFT JOIN documents d ON d.id = e.doc_id
"""


# --- the rule on distinct values ---------------------------------------------------------

@lru_cache(maxsize=65536)
def _parse_side(text: str) -> tuple[dict[str, set[str]], set[str]]:
    """A side key ('MEX/COP|/CRM') as dedup's (known country -> sectors, unknown sectors)."""
    return _side(_parties(text))


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Index and query tokens of an acting side (as dedup's cluster index uses them)."""
    known, wild = _parse_side(text or "")
    countries = sorted(known)
    idx = countries + (["*"] if wild or not known else []) + ["all"]
    qry = countries + ["*"] if countries else ["all"]
    return idx, qry


def _sides_ok(a: str, b: str, unknown_ok: bool) -> bool:
    ka, wa = _parse_side(a or "")
    kb, wb = _parse_side(b or "")
    return _side_check(ka, wa, kb, wb, "", unknown_ok=unknown_ok)[0]


@lru_cache(maxsize=65536)
def _place_of(key: str):
    name, country, admin1, geonameid = (None if v == _NONE else v for v in key.split(_SEP))
    return _place(name, country, admin1, int(geonameid) if geonameid is not None else None)


def _plevel(key: str | None) -> int:
    return 9 if key is None else _LEVEL_RANK[_place_of(key).level]


# --- keys --------------------------------------------------------------------------------

def insert_keys(con, ids: list[str] | None) -> pa.Table:
    """Compute and store the dedup keys of the given event mentions (``None``: all events
    without keys); returns the keys stored."""
    if ids is None:
        where, tables = "ANTI JOIN mention_keys k ON k.id = e.id", {}
    else:
        # (the anti-join side restricted first: hashing every stored key costs a batch dearly)
        where = ("SEMI JOIN _dl_key_ids w ON w.id = e.id ANTI JOIN (SELECT k.id FROM mention_keys"
                 " k SEMI JOIN _dl_key_ids w2 ON w2.id = k.id) k ON k.id = e.id")
        tables = {"_dl_key_ids": pa.table({"id": pa.array(sorted(set(ids)), pa.string())})}
    with registered(con, **tables):
        raw = _arrow(con, _RAW_SQL.format(where=where))
    # Tokens and place levels are Python's (dedup's own functions), once per distinct value.
    sides = [s for s in pc.unique(pc.filter(raw["aside"], pc.is_valid(raw["block"]))
                                  ).to_pylist()]
    places = [p for p in pc.unique(raw["place"]).to_pylist() if p is not None]
    toks = [_tokens(s) for s in sides]
    side_table = pa.table({
        "aside": pa.array(sides, pa.string()),
        "idx": pa.array([t[0] for t in toks], pa.list_(pa.string())),
        "qry": pa.array([t[1] for t in toks], pa.list_(pa.string()))})
    place_table = pa.table({"place": pa.array(places, pa.string()),
                            "plevel": pa.array([_plevel(p) for p in places], pa.int8())})
    with registered(con, _dl_raw=raw, _dl_side_tokens=side_table,
                    _dl_place_levels=place_table):
        keys = _arrow(con, """
            SELECT r.id, r.block, r.day, r.rank, r.mode, r.aside, r.rside, r.place,
                   coalesce(p.plevel, 9)::TINYINT AS plevel, t.idx, t.qry
            FROM _dl_raw r
            LEFT JOIN _dl_side_tokens t ON r.block IS NOT NULL AND t.aside = r.aside
            LEFT JOIN _dl_place_levels p ON p.place = r.place""")
    with registered(con, _dl_keys=keys):
        con.execute("""
            INSERT INTO mention_keys BY NAME
            SELECT *, (day - DATE '1970-01-01')::INTEGER AS dnum,
                   (year(day) * 12 + month(day) - 1)::INTEGER AS ym,
                   year(day)::INTEGER AS yr
            FROM _dl_keys""")
    return keys


@lru_cache(maxsize=65536)
def _parties(text: str) -> tuple[tuple[str | None, str | None], ...]:
    out = []
    for part in text.split("|") if text else ():
        country, _, sector = part.partition("/")
        out.append((country or None, sector or None))
    return tuple(out)


# --- candidate pairs and the exact rule --------------------------------------------------

def _make_region(con, ids: list[str] | None, fresh: str | None = None) -> int:
    """Temp table _dl_r: the mergeable mentions (all, or those of ``ids``) numbered in
    dedup order (precise dates first, then earliest, then smallest id). With ``fresh``
    (a table of ids), a column says which of them are in it."""
    if ids is None:
        src, tables = "mention_keys k", {}
    else:
        src = "mention_keys k SEMI JOIN _dl_region_ids w ON w.id = k.id"
        tables = {"_dl_region_ids": pa.table({"id": pa.array(sorted(set(ids)), pa.string())})}
    mark = f"k.id IN (SELECT id FROM {fresh}) AS fresh, " if fresh else ""
    with registered(con, **tables):
        # A parallel sort into a table keeps its order (rowid); a window would sort alone.
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _dl_r0 AS SELECT k.* EXCLUDE (day), {mark}"
            f"{_SIMPLE.format(col='k.aside')} AS asimple, "
            f"{_SIMPLE.format(col='k.rside')} AS rsimple, "
            f"{_ONE.format(col='k.aside')} AS aone, {_ONE.format(col='k.rside')} AS rone, "
            "split_part(k.aside, '/', 1) AS acountry, split_part(k.aside, '/', 2) AS asector, "
            "split_part(k.rside, '/', 1) AS rcountry, split_part(k.rside, '/', 2) AS rsector "
            f"FROM {src} WHERE k.block IS NOT NULL ORDER BY k.rank, k.day, k.id")
    # Rows written inside a transaction number from a large offset; they stay consecutive.
    con.execute("CREATE OR REPLACE TEMP TABLE _dl_r AS "
                "SELECT (rowid - (SELECT min(rowid) FROM _dl_r0))::INTEGER AS i, * FROM _dl_r0")
    con.execute("DROP TABLE _dl_r0")
    n, top = con.execute("SELECT count(*), coalesce(max(i), -1) FROM _dl_r").fetchall()[0]
    if top != n - 1:  # not consecutive after all: number them by a (slower) window
        con.execute("CREATE OR REPLACE TEMP TABLE _dl_r AS SELECT (row_number() OVER "
                    "(ORDER BY rank, dnum, id) - 1)::INTEGER AS i, * EXCLUDE (i) FROM _dl_r")
    return n


def _pairs_sql(kinds: list[int], fresh_only: bool = False) -> str:
    """Candidate pairs (a, b), b before a in dedup order, of the mentions in _dl_r.

    a looks for b under its own date key (day +-1, month or year, by a's precision) and
    each token it looks for; b is found under every date key at least as coarse as its own
    precision and each of its tokens. Every compatible pair shares such a key (dedup's
    cluster index rests on the same fact), and the later mention of the pair is never
    more precise than the earlier one. ``fresh_only``: only pairs with a fresh mention."""
    keyed = {0: "dnum", 1: "ym", 2: "yr"}
    fresh = ", fresh" if fresh_only else ""
    k_parts = [f"SELECT i, block, {k}::TINYINT AS kind, {keyed[k]} AS key, unnest(idx) AS tok"
               f"{fresh} FROM _dl_r WHERE rank <= {k}" for k in kinds]
    return f"""
        WITH q AS (
            SELECT i, block, rank AS kind{fresh},
                   CASE rank WHEN 0 THEN dnum + o WHEN 1 THEN ym ELSE yr END AS key,
                   unnest(qry) AS tok
            FROM _dl_r, (VALUES (-1), (0), (1)) t(o) WHERE rank = 0 OR o = 0
        ), k AS ({' UNION ALL '.join(k_parts)})
        SELECT DISTINCT q.i AS a, k.i AS b
        FROM q JOIN k ON k.block = q.block AND k.kind = q.kind AND k.key = q.key
                     AND k.tok = q.tok
        WHERE k.i < q.i{" AND (q.fresh OR k.fresh)" if fresh_only else ""}"""


# Candidate pairs that pass mode and date, with the party and place values still to be
# checked (NULL where already decided: equal sides always match; sides whose every party
# has a country and a precise sector match only when equal; two sides of one party each
# (country and sector) match when the country is the same and the sectors are equal or one
# is civilians; an empty side never matches a named one among actors, always among
# recipients). tests/store/test_dedup_sql_equivalence.py holds this to dedup's rule.
_CAND_SQL = """
CREATE OR REPLACE TEMP TABLE _dl_cand AS
SELECT p.a, p.b,
       CASE WHEN ra.aside <> rb.aside AND NOT (ra.aone AND rb.aone)
            THEN least(ra.aside, rb.aside) END AS s1,
       CASE WHEN ra.aside <> rb.aside AND NOT (ra.aone AND rb.aone)
            THEN greatest(ra.aside, rb.aside) END AS s2,
       CASE WHEN ra.rside <> rb.rside AND ra.rside <> '' AND rb.rside <> ''
                 AND NOT (ra.rone AND rb.rone)
            THEN least(ra.rside, rb.rside) END AS t1,
       CASE WHEN ra.rside <> rb.rside AND ra.rside <> '' AND rb.rside <> ''
                 AND NOT (ra.rone AND rb.rone)
            THEN greatest(ra.rside, rb.rside) END AS t2,
       least(ra.place, rb.place) AS p1, greatest(ra.place, rb.place) AS p2
FROM ({pairs}) p
JOIN _dl_r ra ON ra.i = p.a JOIN _dl_r rb ON rb.i = p.b
WHERE (ra.mode IS NULL OR rb.mode IS NULL OR ra.mode = rb.mode)
  AND CASE greatest(ra.rank, rb.rank) WHEN 0 THEN abs(ra.dnum - rb.dnum) <= 1
           WHEN 1 THEN ra.ym = rb.ym ELSE ra.yr = rb.yr END
  AND NOT (ra.aside <> rb.aside
           AND (ra.aside = '' OR rb.aside = '' OR (ra.asimple AND rb.asimple)
                OR (ra.aone AND rb.aone AND NOT (ra.acountry = rb.acountry
                    AND (ra.asector = rb.asector OR ra.asector IN ({generic})
                         OR rb.asector IN ({generic}))))))
  AND NOT (ra.rside <> rb.rside AND ra.rside <> '' AND rb.rside <> ''
           AND ((ra.rsimple AND rb.rsimple)
                OR (ra.rone AND rb.rone AND NOT (ra.rcountry = rb.rcountry
                    AND (ra.rsector = rb.rsector OR ra.rsector IN ({generic})
                         OR rb.rsector IN ({generic}))))))
"""
# A side whose every party names a country and a sector other than civilians (CVL).
_SIMPLE = "({col} <> '' AND NOT regexp_matches({col}, '(^|\\|)/|/(CVL)?(\\||$)'))"
# A side of one party that names a country and a sector.
_ONE = "regexp_full_match({col}, '[^/|]+/[^/|]+')"


def _compatible_pairs(con) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of _dl_cand that pass the whole rule: parties and places are checked by dedup's
    own functions, once per distinct pair of values."""
    def pairs(sql: str) -> list[tuple]:
        return con.execute(sql).fetchall()

    ok_sides = [(x, y) for x, y in pairs(
        "SELECT DISTINCT s1, s2 FROM _dl_cand WHERE s1 IS NOT NULL")
        if _sides_ok(x, y, unknown_ok=False)]
    ok_recs = [(x, y) for x, y in pairs(
        "SELECT DISTINCT t1, t2 FROM _dl_cand WHERE t1 IS NOT NULL")
        if _sides_ok(x, y, unknown_ok=True)]
    ok_places = [(x, y) for x, y in pairs(
        "SELECT DISTINCT p1, p2 FROM _dl_cand WHERE p1 <> p2")
        if _places_ok(_place_of(x), _place_of(y))]

    def table(rows: list[tuple]) -> pa.Table:
        return pa.table({"x": pa.array([r[0] for r in rows], pa.string()),
                         "y": pa.array([r[1] for r in rows], pa.string())})

    with registered(con, _dl_ok_s=table(ok_sides), _dl_ok_t=table(ok_recs),
                    _dl_ok_p=table(ok_places)):
        out = con.execute("""
            SELECT c.a, c.b FROM _dl_cand c
            WHERE (c.s1 IS NULL
                   OR EXISTS (SELECT 1 FROM _dl_ok_s s WHERE s.x = c.s1 AND s.y = c.s2))
              AND (c.t1 IS NULL
                   OR EXISTS (SELECT 1 FROM _dl_ok_t t WHERE t.x = c.t1 AND t.y = c.t2))
              AND (c.p1 IS NULL OR c.p1 = c.p2
                   OR EXISTS (SELECT 1 FROM _dl_ok_p p WHERE p.x = c.p1 AND p.y = c.p2))
        """).fetchnumpy()
    return (np.asarray(out["a"], dtype=np.int64), np.asarray(out["b"], dtype=np.int64))


def _region_pairs(con, fresh_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Compatible pairs (a, b) of the mentions in _dl_r, as their numbers (b < a);
    ``fresh_only``: only the pairs with a fresh mention (see _make_region)."""
    kinds = [r[0] for r in con.execute("SELECT DISTINCT rank FROM _dl_r ORDER BY 1").fetchall()]
    generic = ", ".join(f"'{g}'" for g in sorted(GENERIC_SECTORS))
    con.execute(_CAND_SQL.format(pairs=_pairs_sql(kinds, fresh_only), generic=generic))
    try:
        return _compatible_pairs(con)
    finally:
        con.execute("DROP TABLE IF EXISTS _dl_cand")


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Label of each of n nodes: the smallest node of its connected component."""
    labels = np.arange(n, dtype=np.int64)
    while True:
        low = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        while True:  # pointer jumping: follow labels to their own labels
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels


def _assign(con, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cluster every mention of _dl_r: (member i, seed i) for mentions in a cluster of two
    or more, (seed i, location member i) for those clusters, and (mention i, component i)
    for mentions with a compatible partner (a component is named by its first mention)."""
    empty = np.zeros(0, dtype=np.int64)
    none = np.zeros((2, 0), dtype=np.int64)
    if n < 2:
        return empty, empty, none, none
    a, b = _region_pairs(con)
    if len(a) == 0:
        return empty, empty, none, none
    labels = _components(n, a, b)
    nodes = np.unique(np.concatenate([a, b]))
    comp = labels[nodes]
    size = np.bincount(comp, minlength=n)
    edges = np.bincount(labels[a], minlength=n)
    clique = edges == size * (size - 1) // 2
    plevel = con.execute("SELECT plevel FROM _dl_r ORDER BY i").fetchnumpy()["plevel"]
    plevel = np.asarray(plevel, dtype=np.int64)

    # Groups where everyone is compatible with everyone: one event, seeded by its first
    # mention (the component's label is its smallest, i.e. first, member).
    in_clique = clique[comp]
    members, seeds = nodes[in_clique], comp[in_clique]
    order = np.lexsort((members, plevel[members], seeds))  # most specific place, then order
    sorted_seeds = seeds[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_seeds[1:] != sorted_seeds[:-1]
    loc_seed, loc_member = sorted_seeds[first], members[order][first]

    rest = nodes[~in_clique]
    if len(rest):
        g_members, g_seeds, g_loc_seed, g_loc = _greedy(con, rest, labels, a, b, plevel)
        members = np.concatenate([members, g_members])
        seeds = np.concatenate([seeds, g_seeds])
        loc_seed = np.concatenate([loc_seed, g_loc_seed])
        loc_member = np.concatenate([loc_member, g_loc])
    return members, seeds, np.stack([loc_seed, loc_member]), np.stack([nodes, comp])


def _greedy(con, rest: np.ndarray, labels: np.ndarray, a: np.ndarray, b: np.ndarray,
            plevel: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """dedup.cluster_mentions's complete-link greedy on the components that are not cliques,
    with their compatible pairs known: each mention, in dedup order, joins the cluster
    whose seed is closest in date (then smallest id) among those it matches entirely."""
    keep = np.isin(labels[a], np.unique(labels[rest]))
    adj: dict[int, set[int]] = defaultdict(set)
    for x, y in zip(a[keep].tolist(), b[keep].tolist(), strict=True):
        adj[x].add(y)
        adj[y].add(x)
    table = pa.table({"i": pa.array(rest.astype(np.int32))})
    with registered(con, _dl_rest=table):
        rows = con.execute("SELECT r.i, r.id, r.dnum FROM _dl_r r SEMI JOIN _dl_rest x "
                           "ON x.i = r.i ORDER BY r.i").fetchall()
    ids = {i: eid for i, eid, _ in rows}
    days = {i: d for i, _, d in rows}
    cluster_of: dict[int, int] = {}
    clusters: dict[int, list[int]] = {}
    for m, _, _ in rows:  # dedup order
        near = adj[m]
        best, best_key = None, None
        for c in sorted({cluster_of[x] for x in near if x in cluster_of}):
            if all(x in near for x in clusters[c]):
                key = (abs(days[m] - days[c]), ids[c])
                if best_key is None or key < best_key:
                    best, best_key = c, key
        if best is None:
            clusters[m] = [m]
            cluster_of[m] = m
        else:
            clusters[best].append(m)
            cluster_of[m] = best
    members = np.array(list(cluster_of), dtype=np.int64)
    seeds = np.array([cluster_of[m] for m in members.tolist()], dtype=np.int64)
    multi = [c for c, ms in clusters.items() if len(ms) > 1]
    singles = set(members.tolist()) - {m for c in multi for m in clusters[c]}
    keep_m = np.array([m not in singles for m in members.tolist()], dtype=bool)
    loc_seed = np.array(multi, dtype=np.int64)
    loc = np.array([min(clusters[c], key=lambda m: (plevel[m], m)) for c in multi],
                   dtype=np.int64)
    return members[keep_m], seeds[keep_m], loc_seed, loc


def _assignment_tables(con, n: int) -> None:
    """Temp tables _dl_member (id, cid) for mentions in clusters of two or more,
    _dl_loc (cid, loc_id) for those clusters and _dl_comp (id, comp) for mentions with a
    compatible partner, from _dl_r."""
    members, seeds, locs, comps = _assign(con, n)
    purge()
    member_t = pa.table({"i": pa.array(members.astype(np.int32), pa.int32()),
                         "c": pa.array(seeds.astype(np.int32), pa.int32())})
    loc_t = pa.table({"c": pa.array(locs[0].astype(np.int32), pa.int32()),
                      "l": pa.array(locs[1].astype(np.int32), pa.int32())})
    comp_t = pa.table({"i": pa.array(comps[0].astype(np.int32), pa.int32()),
                       "c": pa.array(comps[1].astype(np.int32), pa.int32())})
    with registered(con, _dl_mi=member_t, _dl_li=loc_t, _dl_ci=comp_t):
        con.execute("CREATE OR REPLACE TEMP TABLE _dl_comp AS SELECT r.id, s.id AS comp "
                    "FROM _dl_ci m JOIN _dl_r r ON r.i = m.i JOIN _dl_r s ON s.i = m.c")
        con.execute("CREATE OR REPLACE TEMP TABLE _dl_member AS SELECT r.id, s.id AS cid "
                    "FROM _dl_mi m JOIN _dl_r r ON r.i = m.i JOIN _dl_r s ON s.i = m.c")
        con.execute("CREATE OR REPLACE TEMP TABLE _dl_loc AS SELECT s.id AS cid, l.id AS loc_id "
                    "FROM _dl_li x JOIN _dl_r s ON s.i = x.c JOIN _dl_r l ON l.i = x.l")


def _arrow(con, sql: str) -> pa.Table:
    """A query's rows as an Arrow table (a relation: no extra copy of the rows)."""
    return con.sql(sql).to_arrow_table()


def _drop(con, *names: str) -> None:
    for name in names:
        con.execute(f"DROP TABLE IF EXISTS {name}")


# --- entry points ------------------------------------------------------------------------

def _write(con, region: pa.Table, member: str, loc: str, old: set[str], cluster_sql: str,
           everything: bool = False) -> None:
    """Point the region's mentions at their clusters and rewrite those cluster rows.

    ``member`` (id, cid) lists mentions of clusters of two or more, ``loc`` (cid, loc_id)
    those clusters' location members; every other mention of ``region`` is its own event.
    """
    purge()
    with registered(con, _dl_reg=region,
                    _dl_old=pa.table({"id": pa.array(sorted(old), pa.string())})):
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _dl_cids AS
            SELECT w.id, w.id AS loc_id FROM _dl_reg w ANTI JOIN {member} m ON m.id = w.id
            UNION ALL SELECT cid, loc_id FROM {loc}""")
        if everything:
            con.execute("UPDATE events SET cluster_id = id "
                        "WHERE cluster_id IS DISTINCT FROM id")
            con.execute(f"UPDATE events SET cluster_id = m.cid FROM {member} m "
                        "WHERE events.id = m.id AND m.cid <> m.id")
            con.execute("DELETE FROM clusters")
        else:
            con.execute(f"""
                UPDATE events SET cluster_id = x.cid
                FROM (SELECT w.id, coalesce(m.cid, w.id) AS cid FROM _dl_reg w
                      LEFT JOIN {member} m ON m.id = w.id) x
                WHERE events.id = x.id AND events.cluster_id IS DISTINCT FROM x.cid""")
            con.execute("DELETE FROM clusters WHERE id IN (SELECT id FROM _dl_old) "
                        "OR id IN (SELECT id FROM _dl_cids)")
        try:
            con.execute(cluster_sql.format(cids="_dl_cids", events="events",
                                           actors="event_actors", documents="documents"))
        finally:
            _drop(con, "_dl_cids")


def rebuild(con, cluster_sql: str, keys: bool = True) -> int:
    """Recompute every mention's cluster (and, with ``keys``, its keys); rewrite all
    cluster rows. Returns the number of clusters."""
    with eager_release():  # see flush
        return _rebuild(con, cluster_sql, keys)


def _rebuild(con, cluster_sql: str, keys: bool) -> int:
    if keys:
        con.execute("DELETE FROM mention_keys")
        insert_keys(con, None)
    try:
        n = _make_region(con, None)
        _assignment_tables(con, n)
        everyone = _arrow(con, "SELECT id FROM events")
        _write(con, everyone, "_dl_member", "_dl_loc", set(), cluster_sql, everything=True)
        con.execute("DELETE FROM mention_components")
        con.execute("INSERT INTO mention_components SELECT id, comp FROM _dl_comp")
        n_members, n_multi = con.execute(
            "SELECT (SELECT count(*) FROM _dl_member), (SELECT count(*) FROM _dl_loc)"
        ).fetchall()[0]
        return everyone.num_rows - n_members + n_multi
    finally:
        _drop(con, "_dl_r", "_dl_member", "_dl_loc", "_dl_comp")


# How a fresh mention f finds stored mentions s that could match it, by precision: the
# finer of the two looks under the coarser one's date key (as in _pairs_sql). A day
# mention looks under its day and the days either side, unnested into an equi-join key: as
# a cross join with the three offsets, DuckDB joined it to the other parts' shared `near`
# without a hash join (a store of 96,000 mentions: 6.2 CPU s a flush, 0.3 s so).
_HIT_PARTS = {
    "d": "SELECT f.id AS a, s.id AS b, f.qry AS q, s.idx AS x "
         "FROM (SELECT id, block, qry, unnest([dnum - 1, dnum, dnum + 1]) AS dk FROM f "
         "WHERE rank = 0) f JOIN near s ON s.block = f.block AND s.dnum = f.dk "
         "WHERE s.rank = 0",
    "m": "SELECT f.id AS a, s.id AS b, f.qry AS q, s.idx AS x FROM f JOIN near s "
         "ON s.block = f.block AND s.ym = f.ym WHERE f.rank = 1 AND s.rank <= 1",
    "y": "SELECT f.id AS a, s.id AS b, f.qry AS q, s.idx AS x FROM f JOIN near s "
         "ON s.block = f.block AND s.yr = f.yr WHERE f.rank = 2",
    "m_rev": "SELECT f.id AS a, s.id AS b, s.qry AS q, f.idx AS x FROM f JOIN near s "
             "ON s.block = f.block AND s.ym = f.ym WHERE s.rank = 1 AND f.rank = 0",
    "y_rev": "SELECT f.id AS a, s.id AS b, s.qry AS q, f.idx AS x FROM f JOIN near s "
             "ON s.block = f.block AND s.yr = f.yr WHERE s.rank = 2 AND f.rank < 2",
}

_FRESH_SQL = "SELECT k.* FROM mention_keys k SEMI JOIN _dl_fresh w ON w.id = k.id " \
             "WHERE k.block IS NOT NULL"

# Stored mentions sharing a block, a date key and a token with a fresh one: a superset of
# those the rule lets it merge with. The day bounds are constants so that DuckDB skips row
# groups by their min/max (a store grows in time); a month or year mention reaches the
# last day of its month or year.
_NEAR_SQL = """
WITH f AS (SELECT id, block, rank, dnum, ym, yr, idx, qry FROM _dl_f),
near AS (SELECT id, block, rank, dnum, ym, yr, idx, qry FROM mention_keys
         WHERE block IN ({blocks}) AND dnum BETWEEN {lo} AND {hi}),
hits AS ({parts})
SELECT DISTINCT b AS id FROM hits WHERE list_has_any(q, x)
"""


def _near(con) -> pa.Table:
    """Ids of the stored mentions that share a key with a fresh mention (in _dl_f)."""
    blocks = [r[0] for r in con.execute("SELECT DISTINCT block FROM _dl_f").fetchall()]
    lo, hi, ranks = con.execute("""
        SELECT min(make_date(yr, 1, 1) - DATE '1970-01-01') - 1,
               max(CASE rank WHEN 0 THEN dnum + 1
                   WHEN 1 THEN last_day(make_date(yr, ym - yr * 12 + 1, 1)) - DATE '1970-01-01'
                   ELSE make_date(yr, 12, 31) - DATE '1970-01-01' END),
               list(DISTINCT rank)
        FROM _dl_f""").fetchall()[0]
    stored = {r[0] for r in con.execute(
        "SELECT DISTINCT rank FROM mention_keys WHERE rank > 0 AND block IS NOT NULL"
    ).fetchall()}
    ranks = set(ranks)
    wanted = [name for name, needed in (
        ("d", 0 in ranks), ("m", 1 in ranks), ("y", 2 in ranks),
        ("m_rev", 1 in stored and 0 in ranks),
        ("y_rev", 2 in stored and bool(ranks & {0, 1}))) if needed]
    sql = _NEAR_SQL.format(
        blocks=", ".join("'" + b.replace("'", "''") + "'" for b in blocks), lo=lo, hi=hi,
        parts=" UNION ALL ".join(_HIT_PARTS[name] for name in wanted))
    return _arrow(con, sql)


def pending(con) -> int:
    """How many stored mentions await clustering (stored without dedup keys)."""
    n_events, n_keys = con.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mention_keys)"
    ).fetchall()[0]
    return max(n_events - n_keys, 0)


def flush(con, cluster_sql: str) -> int:
    """Cluster every stored mention that awaits it, inside the caller's transaction; the
    clusters are those :func:`rebuild` gives. Returns how many mentions were clustered.

    Only the connected components (of the compatible-pair graph) that hold a fresh mention
    are re-clustered, found in one step: each stored mention keeps the name of its
    component (``mention_components``), and a component without a fresh mention has
    neither changed nor can it change any other (complete-link clustering in dedup order
    never looks across components).

    Its statements free and take tens of MiB one after another, so DuckDB's allocator
    returns freed pages at once while it runs (`eager_release`): the 640 Guardian stories
    stored ten times over, the writer's peak 340 -> 326 MiB for no CPU told apart from
    noise (80.5 -> 80.1 s), where the same for every write of a batch cost +7 s
    (benchmarks/results/memory9.md).
    """
    if not pending(con):
        return 0
    with eager_release():
        return _flush(con, cluster_sql)


def _flush(con, cluster_sql: str) -> int:
    fresh = insert_keys(con, None)  # every mention without keys
    purge()  # each phase's freed pages go back before the next takes new ones
    n_events, n_keys = con.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mention_keys)"
    ).fetchall()[0]
    if n_keys != n_events:  # keys of mentions no longer stored
        con.execute("DELETE FROM mention_keys WHERE id NOT IN (SELECT id FROM events)")
    if fresh.num_rows > BIG_BATCH or 2 * fresh.num_rows > n_events:
        rebuild(con, cluster_sql, keys=False)
        return fresh.num_rows
    fresh_ids = pa.table({"id": fresh["id"]})
    names = ("_dl_f", "_dl_r", "_dl_member", "_dl_loc", "_dl_comp", "_dl_region")
    try:
        with registered(con, _dl_fresh=fresh_ids):
            con.execute(f"CREATE OR REPLACE TEMP TABLE _dl_f AS {_FRESH_SQL}")
            region = _arrow(con, "SELECT id FROM _dl_f")
            if region.num_rows:
                region = _region_of(con, region)
                purge()
            with registered(con, _dl_reg_ids=region):
                con.execute("CREATE OR REPLACE TEMP TABLE _dl_region AS SELECT id FROM _dl_reg_ids")
            old = {r[0] for r in con.execute(
                "SELECT DISTINCT e.cluster_id FROM events e SEMI JOIN _dl_region w "
                "ON w.id = e.id WHERE e.cluster_id IS NOT NULL").fetchall()}
            # Fresh mentions that never merge keep the singleton event they were stored
            # with; those stored without one (imports, Spark loads) get it here.
            written = _arrow(con, """
                SELECT id FROM _dl_region UNION
                SELECT e.id FROM events e SEMI JOIN _dl_fresh w ON w.id = e.id
                WHERE e.cluster_id IS NULL""")
            n = _make_region(con, region["id"].to_pylist())
            _assignment_tables(con, n)
            _write(con, written, "_dl_member", "_dl_loc", old, cluster_sql)
            con.execute("DELETE FROM mention_components WHERE id IN (SELECT id FROM _dl_region)")
            con.execute("INSERT INTO mention_components SELECT id, comp FROM _dl_comp")
    finally:
        _drop(con, *names)
    return fresh.num_rows


def _region_of(con, fresh: pa.Table) -> pa.Table:
    """The fresh mergeable mentions (in _dl_f) and every stored mention of a component one
    of them joins: the union of whole components of the graph with them added."""
    near = _near(con)
    ids = pc.unique(pa.concat_arrays([fresh["id"].combine_chunks(),
                                      near["id"].combine_chunks()])).to_pylist()
    with registered(con, _dl_fr=fresh):
        _make_region(con, ids, fresh="_dl_fr")
    a, b = _region_pairs(con, fresh_only=True)
    touched = pa.table({"i": pa.array(np.unique(np.concatenate([a, b])).astype(np.int32),
                                       pa.int32())})
    with registered(con, _dl_touch=touched):
        return _arrow(con, """
            WITH partner AS (SELECT r.id FROM _dl_r r SEMI JOIN _dl_touch t ON t.i = r.i
                             WHERE NOT r.fresh),
                 comps AS (SELECT DISTINCT c.comp FROM mention_components c
                           SEMI JOIN partner p ON p.id = c.id)
            SELECT id FROM _dl_f
            UNION SELECT id FROM partner
            UNION SELECT c.id FROM mention_components c SEMI JOIN comps x ON x.comp = c.comp
        """)

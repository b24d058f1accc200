"""The dashboard splits some dyad filters into parts for speed; every page must still select
exactly the rows that `dateline events` selects, compound (3+ party) events included."""

from __future__ import annotations

import duckdb
import pytest
from test_web_api import Client

from dateline.store import queries
from dateline.web.app import create_app
from dateline.web.filters import parse_filter

COMPOUND = """INSERT INTO clusters (id, origin, type, quad_class, goldstein, actor1_country,
    actor2_country, actor_countries, recipient_countries, party_codes, party_sectors,
    n_parties, contexts, factual, event_date, num_mentions, num_stories, lat, lon,
    location_name, location_country)
VALUES ('compound-1', 'dateline', 'CONSULT', 1, 1.0, 'USA', 'MEX', ['USA', 'CAN'],
        ['MEX', 'GBR'], ['USAGOV', 'CANGOV', 'MEXGOV', 'GBRGOV'], ['GOV'], 4, ['border'],
        true, DATE '2018-03-01', 1, 1, 19.4, -99.1, 'Mexico City', 'MEX'),
       ('compound-2', 'dateline', 'ACCUSE', 3, -2.0, 'CAN', 'GBR', ['CAN', 'USA'],
        ['GBR', 'MEX'], ['CANGOV', 'USAGOV', 'GBRGOV', 'MEXGOV'], ['GOV'], 4, [],
        true, DATE '2018-03-02', 1, 1, NULL, NULL, NULL, NULL),
       ('compound-3', 'dateline', 'ASSAULT', 4, -9.0, 'MEX', 'MEX', ['MEX', 'USA'],
        ['MEX'], ['MEXCRM', 'USAGOV', 'MEXCOP'], ['CRM'], 3, ['crime'],
        true, DATE '2018-03-03', 2, 2, NULL, NULL, NULL, NULL)"""

FILTERS = [
    {"dyad": "CAN-MEX", "directed": "1"},   # only through the compound parties
    {"dyad": "MEX-CAN", "directed": "1"},   # the other way round: nothing
    {"dyad": "USA-MEX", "directed": "1"},   # actor1/actor2 and compound
    {"dyad": "MEX-USA", "directed": "1"},
    {"dyad": "MEX-MEX"},                    # one country on both sides
    {"dyad": "CAN-USA"},                    # undirected (not split)
    {"dyad": "USA-MEX", "directed": "1", "type": "CONSULT", "include_modal": "1"},
]


@pytest.fixture()
def compound_store(fresh_store):
    path, _ = fresh_store
    with duckdb.connect(str(path)) as con:
        con.execute(COMPOUND)
    return path


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "&".join(f"{k}={v}"
                                                                   for k, v in p.items()))
def test_dyad_pages_select_exactly_the_filters_events(compound_store, params):
    with duckdb.connect(str(compound_store), read_only=True) as con:
        expected = queries.count_events(con, parse_filter(params))
        ids = {r[0] for r in con.execute(
            "SELECT e.id FROM clusters e" + queries.where_clause(parse_filter(params))[0],
            queries.where_clause(parse_filter(params))[1]).fetchall()}
    client = Client(create_app(compound_store))
    table = client.json("/events.json", per_page="200", **params)
    assert table["total"] == expected
    assert {e["id"] for e in table["events"]} == ids
    rest = {k: v for k, v in params.items() if k != "dyad"}
    assert client.json(f"/dyad/{params['dyad']}.json", **rest)["events"] == expected
    overview = client.json("/.json", **params)
    assert overview["events"] == expected


def test_the_compound_cases_are_really_exercised(compound_store):
    with duckdb.connect(str(compound_store), read_only=True) as con:
        counts = [queries.count_events(con, parse_filter(p)) for p in FILTERS[:5]]
    assert counts[0] == 2 and counts[1] == 0 and counts[4] >= 1

"""Hostile input never crashes or hangs a reader: each case is a Document or a rejection.

Property tests with a fixed seed (derandomize) over every reader. The budgets below add up
to more than 10,000 generated inputs; each reader run is guarded against hangs.
"""

from __future__ import annotations

import io
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from reliability_fuzz import run_fuzz
from reliability_hostile import (
    any_text_bytes,
    check_all,
    check_item,
    feed_bytes,
    gzip_bytes,
    hang_guard,
    html_bytes,
    jsonl_bytes,
    jsonl_line,
    warc_bytes,
)

from dateline.ingest.feeds import read_feed
from dateline.ingest.html import read_html
from dateline.ingest.jsonl import parse_record, read_jsonl
from dateline.ingest.language import check_language
from dateline.ingest.options import IngestOptions
from dateline.ingest.text import read_text
from dateline.ingest.warc import read_warc
from dateline.records import Document

OPTIONS = IngestOptions(max_bytes=200_000)
# Mutation-fuzz cases through the sniffing entry point; raise it to fuzz longer locally.
FUZZ_CASES = int(os.environ.get("DATELINE_FUZZ_CASES", "5500"))
CASES: Counter = Counter()


def budget(n: int):
    return settings(max_examples=n, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def _with_language(item):
    # The pipeline checks language after reading; hostile text must survive that too.
    return check_language(item) if isinstance(item, Document) else item


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    total = sum(CASES.values())
    print(f"\nhostile-input cases: {dict(CASES)} total={total}")


@budget(2000)
@given(any_text_bytes)
def test_text_reader_survives_random_and_hostile_bytes(data):
    with hang_guard():
        check_item(_with_language(read_text(data, "t.txt", OPTIONS)))
    CASES["text"] += 1


@budget(400)
@given(html_bytes())
@example(b'<div class=""><script class=""></script>\x01')  # lxml's drop_tree raised on \x01
def test_html_reader_survives_random_malformed_html(data):
    with hang_guard():
        check_item(_with_language(read_html(data, "p.html", OPTIONS)))
    CASES["html"] += 1


@budget(300)
@given(any_text_bytes)
def test_html_reader_survives_non_html_bytes(data):
    with hang_guard():
        check_item(read_html(data, "p.html", OPTIONS))
    CASES["html"] += 1


@budget(400)
@given(jsonl_bytes)
def test_jsonl_reader_gives_one_record_per_nonblank_line(data):
    with hang_guard():
        items = list(read_jsonl(io.BytesIO(data), "f.jsonl", OPTIONS))
        check_all(_with_language(i) for i in items)
    assert len(items) == sum(1 for line in data.split(b"\n") if line.strip())
    CASES["jsonl"] += 1


@budget(250)
@given(warc_bytes())
def test_warc_reader_survives_truncated_and_corrupted_archives(data):
    with hang_guard():
        check_all(read_warc(io.BytesIO(data), "a.warc", OPTIONS))
    CASES["warc"] += 1


@budget(250)
@given(feed_bytes())
def test_feed_reader_survives_broken_feeds(data):
    with hang_guard():
        items = list(read_feed(data, "f.rss", OPTIONS, fetch=False))
        check_all(items)
    assert items, "a feed yields at least one record (an item or a rejection)"
    CASES["feed"] += 1


def test_truncated_gzip_warc_is_a_rejection_not_a_crash():
    from reliability_hostile import build_warc

    page = b"<html><body><p>" + b"The minister met the ambassador. " * 40 + b"</p></body></html>"
    data = build_warc([("http://example.org/a", page, "text/html")] * 3, gz=True)
    for cut in range(1, len(data), max(1, len(data) // 60)):
        with hang_guard():
            counts = check_all(read_warc(io.BytesIO(data[:cut]), "a.warc.gz", OPTIONS))
        assert counts["document"] <= 3
        CASES["warc"] += 1
    assert check_all(read_warc(io.BytesIO(gzip_bytes(b"not a warc", 5)), "x.warc.gz",
                               OPTIONS))["rejected"] >= 0


def test_deeply_nested_html_is_read_or_rejected():
    for depth in (1_000, 20_000, 200_000):
        page = ("<div>" * depth + "<p>The minister met the ambassador in the capital.</p>"
                + "</div>" * depth).encode()
        with hang_guard():
            check_item(read_html(page, "deep.html", IngestOptions(max_bytes=5_000_000)))
        CASES["html"] += 1


def test_feed_with_thousands_of_items_yields_one_record_per_item():
    items = "".join(f"<item><title>Story {i}</title><description>Police arrested {i} men after "
                    f"a protest outside the parliament on Tuesday, officials said.</description>"
                    f"</item>" for i in range(5000))
    data = f"<rss version='2.0'><channel><title>F</title>{items}</channel></rss>".encode()
    with hang_guard(120):
        counts = check_all(read_feed(data, "big.rss", IngestOptions(), fetch=False))
    assert counts["document"] + counts["rejected"] == 5000
    CASES["feed"] += 1


def test_xml_entity_expansion_bomb_in_a_feed_is_refused():
    lol = "<!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'>" + "".join(
        f"<!ENTITY {chr(98 + i)} '{('&' + chr(97 + i) + ';') * 10}'>" for i in range(9)) + "]>"
    data = (f"<?xml version='1.0'?>{lol}<rss version='2.0'><channel><title>F</title><item>"
            f"<title>&j;</title><description>&j;</description></item></channel></rss>").encode()
    with hang_guard(60):
        items = list(read_feed(data, "lol.rss", IngestOptions(), fetch=False))
    check_all(items)
    for item in items:
        if isinstance(item, Document):
            assert len(item.text) < 10_000_000
    CASES["feed"] += 1


def test_an_enormous_single_jsonl_line_is_rejected_and_the_next_line_still_read():
    opts = IngestOptions(max_bytes=100_000)
    big = b'{"text": "' + b"a" * 3_000_000 + b'"}'
    good = (b'{"text": "Police arrested three men after a protest outside the parliament '
            b'on Tuesday, officials said, and the minister denied the charges."}')
    with hang_guard():
        items = list(read_jsonl(io.BytesIO(big + b"\n" + good + b"\n"), "big.jsonl", opts))
    assert [type(i).__name__ for i in items] == ["Rejected", "Document"]
    assert "too large" in items[0].reason
    CASES["jsonl"] += 1


def test_enormous_single_line_text_is_rejected_by_the_size_cap():
    opts = IngestOptions(max_bytes=1_000_000)
    with hang_guard():
        item = read_text(b"word " * 1_000_000, "line.txt", opts)
    assert "too large" in check_item(item) or "too large" in item.reason
    CASES["text"] += 1


@budget(1000)
@given(jsonl_line())
def test_a_jsonl_record_is_a_document_or_a_rejection(line):
    with hang_guard():
        check_item(parse_record(line.replace(b"\n", b" "), "r.jsonl#1", OPTIONS))
    CASES["jsonl"] += 1


def test_mutation_fuzzer_over_every_kind_through_read_bytes():
    result = run_fuzz(seed=20260101, n=FUZZ_CASES)
    print("\nfuzz:", result)
    assert result["cases"] == FUZZ_CASES
    assert result["items"].get("document", 0) > 0 and result["items"].get("rejected", 0) > 0
    CASES["fuzz(read_bytes)"] += FUZZ_CASES


def test_the_generated_budget_is_at_least_ten_thousand_cases():
    # Runs last in this module (definition order): the property tests above filled CASES.
    if sum(CASES.values()) == 0:
        pytest.skip("run together with the property tests of this module")
    assert sum(CASES.values()) >= 10_000, dict(CASES)

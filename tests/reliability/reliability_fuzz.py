"""A seeded mutation fuzzer over every input kind, fast enough to run thousands of cases in CI.

Valid seeds of each kind (text, HTML, JSONL, RSS, Atom, WARC, WARC.gz, gzip) -- all written
here -- are mutated 1-4 times (byte flips, truncation, hostile characters, invalid UTF-8,
slice duplication, deep nesting, splicing, gzip wrapping) and handed to
`dateline.ingest.read_bytes`, the sniffing entry point every source goes through.
Used by tests/reliability/test_reliability_fuzz_readers.py and benchmarks/fuzz_readers.py.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import time
from collections import Counter
from collections.abc import Iterator

from reliability_hostile import HOSTILE_CHARS, INVALID_UTF8, SENTENCES, check_item, hang_guard

STORY = " ".join(SENTENCES)


def _warc(pages: list[tuple[str, bytes]], gz: bool) -> bytes:
    from reliability_hostile import build_warc

    return build_warc([(u, b, "text/html; charset=utf-8") for u, b in pages], gz=gz)


def _page(i: int) -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Story {i}</title>"
            f"<link rel='canonical' href='https://news.example.org/{i}'></head><body>"
            f"<a href='#main'>Skip to content</a><nav><a href='/'>Home</a> | World</nav>"
            f"<article><h1>Story {i}</h1>"
            + "".join(f"<p>{s}</p>" for s in SENTENCES)
            + "</article><div class='share'>Share on Facebook</div>"
            "<footer>All rights reserved</footer></body></html>").encode()


def seeds() -> dict[str, bytes]:
    """One valid input of each kind."""
    jsonl = "\n".join(json.dumps({"text": f"{STORY} Item {i}.", "title": f"T{i}",
                                  "date": "2018-03-23", "url": f"http://e.org/{i}"})
                      for i in range(3)).encode()
    rss = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
           + "".join(f"<item><title>Story {i}</title><link>http://e.org/{i}</link>"
                     f"<pubDate>Fri, 23 Mar 2018 10:00:00 GMT</pubDate>"
                     f"<description><![CDATA[<p>{STORY}</p>]]></description></item>"
                     for i in range(3))
           + "</channel></rss>").encode()
    atom = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            "<title>Wire</title>"
            + "".join(f"<entry><title>Story {i}</title><updated>2018-03-23T10:00:00Z</updated>"
                      f"<content type='html'>&lt;p&gt;{STORY}&lt;/p&gt;</content></entry>"
                      for i in range(3))
            + "</feed>").encode()
    pages = [(f"https://news.example.org/{i}", _page(i)) for i in range(2)]
    return {
        "text": ("Press Enter to skip to content\n\nHeadline here\n\n" + STORY).encode(),
        "html": _page(0), "jsonl": jsonl, "rss": rss, "atom": atom,
        "warc": _warc(pages, gz=False), "warc.gz": _warc(pages, gz=True),
        "text.gz": gzip.compress(STORY.encode(), mtime=0),
        "jsonl.gz": gzip.compress(jsonl, mtime=0),
    }


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + piece + data[at:]


def _hostile(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 6)):
        data = _insert(rng, data, rng.choice(HOSTILE_CHARS).encode("utf-8", "surrogatepass"))
    return data


def _invalid(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 4)):
        data = _insert(rng, data, rng.choice(INVALID_UTF8))
    return data


def _duplicate(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 200))
    return data[:b] + data[a:b] * rng.randint(2, 200) + data[b:]


def _delete(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    return data[:a] + data[a + rng.randint(1, 100):]


def _nest(rng: random.Random, data: bytes) -> bytes:
    tag = rng.choice([b"div", b"p", b"span", b"table", b"b", b"li", b"item", b"entry"])
    depth = rng.choice([10, 100, 1000, 5000])
    return _insert(rng, data, (b"<" + tag + b">") * depth)


def _random_bytes(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, data, rng.randbytes(rng.randint(1, 300)))


def _gzip(rng: random.Random, data: bytes) -> bytes:
    packed = gzip.compress(data, mtime=0)
    return packed if rng.random() < 0.5 else packed[: rng.randint(0, len(packed))]


def _newlines(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b"\n", rng.choice([b"", b"\r", b"\r\n", b"\n\n\n", b"\x85"]))


MUTATIONS = [_flip, _truncate, _hostile, _invalid, _duplicate, _delete, _nest, _random_bytes,
             _gzip, _newlines]


def fuzz_cases(seed: int, n: int) -> Iterator[tuple[str, str, bytes]]:
    """`n` (seed kind, mutation names, bytes) cases, the same for the same seed."""
    rng = random.Random(seed)
    base = seeds()
    kinds = sorted(base)
    for _ in range(n):
        kind = rng.choice(kinds)
        data = base[kind]
        if rng.random() < 0.05:  # splice two kinds together
            other = base[rng.choice(kinds)]
            data = data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)):]
            kind = f"{kind}+splice"
        names = []
        for mutate in rng.sample(MUTATIONS, rng.randint(1, 4)):
            data = mutate(rng, data)
            names.append(mutate.__name__.lstrip("_"))
        yield kind, "+".join(names), data


def run_fuzz(seed: int, n: int, max_bytes: int = 2_000_000, language: bool = False,
             guard_s: int = 30) -> dict[str, object]:
    """Feed `n` cases to read_bytes; counts of cases, items, documents, rejection kinds."""
    from dateline.ingest import IngestOptions, read_bytes
    from dateline.ingest.language import check_language
    from dateline.records import Document

    options = IngestOptions(max_bytes=max_bytes)
    by_kind: Counter = Counter()
    outcomes: Counter = Counter()
    reasons: Counter = Counter()
    slowest = (0.0, "")
    empty_examples: list[str] = []
    start = time.perf_counter()
    for i, (kind, mutations, data) in enumerate(fuzz_cases(seed, n)):
        t0 = time.perf_counter()
        with hang_guard(guard_s):
            items = list(read_bytes(data, f"fuzz-{i}", options, name=None))
            if language:
                items = [check_language(x) if isinstance(x, Document) else x for x in items]
        if not items:  # e.g. a WARC left with no HTML response: nothing to account for
            outcomes["no_items"] += 1
            empty_examples.append(f"{kind} {mutations}")
        for item in items:
            outcome = check_item(item)
            outcomes[outcome] += 1
            if outcome == "rejected":
                reasons[item.reason.split(":", 1)[0]] += 1
        by_kind[kind.split("+")[0]] += 1
        took = time.perf_counter() - t0
        if took > slowest[0]:
            slowest = (took, f"case {i} {kind} {mutations} ({len(data)} bytes)")
    return {"cases": n, "seconds": round(time.perf_counter() - start, 1),
            "cases_by_seed_kind": dict(sorted(by_kind.items())),
            "items": dict(outcomes), "rejection_reasons": dict(reasons.most_common()),
            "slowest_case_s": round(slowest[0], 3), "slowest_case": slowest[1],
            "no_item_examples": Counter(empty_examples).most_common(5)}


def as_stream(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data))

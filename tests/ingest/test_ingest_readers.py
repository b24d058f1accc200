"""Each reader turns bytes into a clean Document or a Rejected with a reason, never raising."""

from __future__ import annotations

import gzip
import io
import json
import random

from ingest_fixtures import SPANISH, STORY, STORY_TEXT, html_page, rss_feed, warc_bytes

from dateline.ingest import IngestOptions, read_bytes, read_stream
from dateline.ingest.language import check_language
from dateline.ingest.text import clean_text
from dateline.records import Document, Rejected

OPTS = IngestOptions()


def one(data: bytes, origin: str = "x", options: IngestOptions = OPTS, **kw):
    items = list(read_bytes(data, origin, options, **kw))
    assert len(items) == 1, items
    return items[0]


def test_plain_text_story_is_cleaned_and_titled():
    doc = one(("Press \"Enter\" to skip to content\n\n" + STORY_TEXT.replace(" the ", "  the\u00a0"))
              .encode())
    assert isinstance(doc, Document)
    assert doc.text == STORY_TEXT
    assert doc.title == STORY[0]
    assert doc.published is None  # never invented


def test_skip_link_line_is_stripped_from_text_input_only_as_a_whole_line():
    doc = one(b"Skip to main content\nOfficials said they would skip to content review later.\n")
    assert doc.text == "Officials said they would skip to content review later."


def test_html_page_keeps_the_article_and_drops_page_clutter():
    doc = one(html_page().encode(), "page.html")
    assert isinstance(doc, Document)
    assert doc.text == STORY_TEXT
    for clutter in ("skip to content", "Share on", "Home", "Comments", "Finally some sense",
                    "Copyright", "newsletter"):
        assert clutter not in doc.text
    assert doc.title == STORY[0]
    assert doc.published == "2021-11-09"
    assert doc.author == "Ana Ruiz"
    assert doc.url == "https://ledger.example/2021/11/inspection-pact"


def test_same_story_as_text_html_jsonl_feed_and_warc_has_one_id():
    page = html_page().encode()
    ids = {
        one(STORY_TEXT.encode()).id,
        one(page).id,
        one(json.dumps({"text": STORY_TEXT, "id": "a1"}).encode() + b"\n").id,
        one(rss_feed([(STORY[0], "https://ledger.example/x",
                       "".join(f"<p>{p}</p>" for p in STORY))])).id,
        one(warc_bytes([("https://ledger.example/x", page, "text/html; charset=utf-8")])).id,
    }
    assert len(ids) == 1


def test_date_option_fills_only_missing_dates():
    opts = IngestOptions(date="2020-01-02", source="Desk")
    assert one(STORY_TEXT.encode(), options=opts).published == "2020-01-02"
    assert one(html_page().encode(), options=opts).published == "2021-11-09"
    assert one(html_page(date=None).encode()).published is None


def test_jsonl_fields_and_bad_lines_each_yield_one_item():
    lines = [
        {"id": "s1", "text": STORY_TEXT, "title": "T", "date": "2021-11-09T10:00:00Z",
         "url": "https://ledger.example/a", "source": "Ledger"},
        {"id": "s2", "text": 42},
        {"title": "no text"},
        ["not", "an", "object"],
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode() + b"\n{broken json\n\n"
    items = list(read_bytes(data, "in.jsonl"))
    assert len(items) == 5
    doc = items[0]
    assert (doc.title, doc.published, doc.url, doc.source, doc.origin) == (
        "T", "2021-11-09", "https://ledger.example/a", "Ledger", "in.jsonl#s1")
    reasons = [i.reason for i in items[1:]]
    assert all(r.startswith("malformed JSONL record") for r in reasons), reasons


def test_jsonl_line_over_the_cap_is_rejected_and_the_next_line_still_read():
    opts = IngestOptions(max_bytes=2000)
    big = json.dumps({"text": "word " * 1000})
    data = f"{big}\n{json.dumps({'text': STORY_TEXT})}\n".encode()
    first, second = list(read_bytes(data, "in.jsonl", opts))
    assert isinstance(first, Rejected) and first.reason.startswith("too large")
    assert isinstance(second, Document)


def test_feed_items_use_embedded_content_without_fetching():
    feed = rss_feed([("First", "https://ledger.example/1", "<p>" + STORY[1] + "</p>"),
                     ("Empty", "https://ledger.example/2", None)])
    first, second = list(read_bytes(feed, "feed.xml"))
    assert isinstance(first, Document)
    assert first.title == "First" and first.url == "https://ledger.example/1"
    assert first.published == "2021-11-09" and first.source == "Frontier Ledger"
    assert isinstance(second, Rejected) and "no content" in second.reason


def test_warc_reads_html_responses_only_and_survives_a_broken_tail():
    page = html_page().encode()
    archive = warc_bytes([("https://ledger.example/a", page, "text/html"),
                          ("https://ledger.example/logo.png", b"\x89PNG....", "image/png")])
    items = list(read_bytes(archive, "cc.warc.gz"))
    assert len(items) == 1 and items[0].text == STORY_TEXT
    assert items[0].origin.startswith("cc.warc.gz@")
    plain = warc_bytes([("https://ledger.example/a", page, "text/html")], gz=False)
    assert one(plain).text == STORY_TEXT
    truncated = list(read_bytes(archive[: len(archive) // 2] + b"garbage", "cut.warc.gz"))
    assert truncated and isinstance(truncated[-1], Rejected)
    assert "malformed WARC" in truncated[-1].reason


def test_bad_inputs_are_rejected_with_reasons():
    rng = random.Random(7)
    cases = {
        b"": "empty",
        b"   \n\t ": "empty",
        bytes(rng.randrange(256) for _ in range(4000)): "binary",
        gzip.compress(STORY_TEXT.encode())[:40]: "malformed gzip",
        b"%PDF-1.7 rest of a pdf": "binary",
    }
    for data, reason in cases.items():
        item = one(data)
        assert isinstance(item, Rejected) and item.reason.startswith(reason), (data[:20], item)


def test_oversized_input_and_gzip_bomb_are_capped():
    opts = IngestOptions(max_bytes=10_000)
    assert one(("x " * 20_000).encode(), options=opts).reason.startswith("too large")
    bomb = gzip.compress(b"a" * 5_000_000)
    assert one(bomb, options=opts).reason.startswith("too large")


def test_charsets_declared_or_detected_are_decoded():
    latin = html_page(charset="iso-8859-1").replace("Customs", "Aduana café Customs")
    doc = one(latin.replace("\u2014", "-").encode("latin-1"))
    assert "Aduana café Customs" in doc.text
    invalid_utf8 = STORY_TEXT.replace("Officials", "Officiáls").encode("cp1252")
    assert "Officiáls" in one(invalid_utf8).text
    utf16 = one(STORY_TEXT.encode("utf-16"))
    assert utf16.text == STORY_TEXT


def test_gzipped_text_and_jsonl_are_read_transparently():
    assert one(gzip.compress(STORY_TEXT.encode())).text == STORY_TEXT
    lines = (json.dumps({"text": STORY_TEXT}) + "\n" + json.dumps({"text": SPANISH})).encode()
    assert len(list(read_bytes(gzip.compress(lines), "c.jsonl.gz"))) == 2


def test_language_check_rejects_spanish_and_records_it():
    doc = one(SPANISH.encode())
    rejected = check_language(doc)
    assert isinstance(rejected, Rejected)
    assert rejected.language == "es" and rejected.reason == "not English: detected es"
    english = check_language(one(STORY_TEXT.encode()))
    assert isinstance(english, Document) and english.language == "en"


def test_read_stream_needs_no_file_name():
    stream = io.BufferedReader(io.BytesIO(html_page().encode()))
    [doc] = list(read_stream(stream, "<stdin>"))
    assert doc.text == STORY_TEXT


def test_clean_text_is_idempotent():
    raw = "A  line\r\nwrapped here.\r\n\r\n\r\nSecond\u200b para\u00a0graph.\n"
    assert clean_text(raw) == "A line wrapped here.\n\nSecond para graph."
    assert clean_text(clean_text(raw)) == clean_text(raw)


def test_other_languages_are_named_and_short_text_is_not_guessed():
    texts = {
        "fr": "Le président de la République a rencontré mardi le premier ministre pour discuter "
              "de la réforme des retraites et de la sécurité aux frontières, selon l'Élysée.",
        "de": "Der Bundeskanzler hat am Dienstag in Berlin den französischen Präsidenten "
              "getroffen, um über die Zusammenarbeit der Polizei an den Grenzen zu sprechen.",
    }
    for code, text in texts.items():
        rejected = check_language(Document(text=text, origin=code))
        assert isinstance(rejected, Rejected) and rejected.language == code
    short = check_language(Document(text="Talks resume.", origin="s"))
    assert isinstance(short, Document) and short.language is None


def test_a_pipe_delivering_a_few_bytes_at_a_time_is_still_sniffed_right():
    import os
    import threading

    data = (json.dumps({"text": STORY_TEXT}) + "\n").encode() * 3
    read_end, write_end = os.pipe()

    def trickle() -> None:
        for i in range(0, len(data), 7):
            os.write(write_end, data[i:i + 7])
        os.close(write_end)

    writer = threading.Thread(target=trickle)
    writer.start()
    with open(read_end, "rb", buffering=0) as pipe:
        items = list(read_stream(pipe, "<stdin>"))
    writer.join()
    assert [type(i).__name__ for i in items] == ["Document"] * 3

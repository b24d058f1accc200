"""Generators of hostile input shared by the property tests and benchmarks/fuzz_readers.py.

Every generator is a hypothesis strategy producing bytes (or a list of lines) of one kind:
random bytes, text full of invisible/bidi/control characters and invalid UTF-8, random
and deeply nested HTML, JSONL with missing or wrong-typed fields, truncated or corrupted
WARC and gzip, feeds with broken XML.
"""

from __future__ import annotations

import gzip
import io
import json
import signal
from collections.abc import Iterable
from contextlib import contextmanager

from hypothesis import strategies as st

from dateline.records import Document, Rejected, content_id

# Sentences we wrote, so that some generated inputs pass the language check and reach the
# Document path instead of all being rejected early.
SENTENCES = [
    "The interior minister met the ambassador in the capital on Tuesday.",
    "Police arrested three men after a protest outside the parliament.",
    "Officials said the talks on border security would continue next week.",
    "The government denied that soldiers had fired on the crowd.",
    "Rebels threatened to attack the convoy if the army did not withdraw.",
    "The two countries signed an agreement to share intelligence on trafficking.",
]
HOSTILE_CHARS = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # zero-width, soft hyphen
    "\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f", "\u200e",  # bidi controls
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9c",  # controls
    "\u2028", "\u2029", "\r", "\r\n", "\t",  # line separators
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u05e2\u05d1\u05e8\u05d9\u05ea",  # RTL words
    "e\u0301\u0301\u0301", "\U0001f4a3", "\U0001f1fa\U0001f1f8", "\ufffd", "\uffff",
    "&amp;", "&#0;", "&#xD800;", "<", ">", "]]>", '"', "\\",
]
INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf",
                b"\xe2\x82", b"\x80\x80", b"\xf0\x9f\x92"]
ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32", "koi8-r"]


@contextmanager
def hang_guard(seconds: int = 30):
    """Fail (instead of hanging CI) when one input takes longer than `seconds`."""
    def _raise(signum, frame):
        raise TimeoutError(f"reader did not finish within {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_item(item: object) -> str:
    """Assert one reader output is a sound Document or a Rejected with a reason; its kind."""
    if isinstance(item, Rejected):
        assert isinstance(item.reason, str) and item.reason.strip(), item
        assert isinstance(item.origin, str)
        return "rejected"
    assert isinstance(item, Document), f"reader returned {type(item).__name__}, not a record"
    assert isinstance(item.text, str) and item.text.strip(), "a Document must have text"
    item.text.encode("utf-8")  # no lone surrogates: the store and JSON need valid UTF-8
    assert item.id == content_id(item.text)
    assert "\x00" not in item.text
    for field in (item.title, item.url, item.published, item.source, item.author):
        assert field is None or isinstance(field, str)
        if field is not None:
            field.encode("utf-8")
    json.dumps(item.to_json(), ensure_ascii=False).encode("utf-8")
    return "document"


def check_all(items: Iterable[object]) -> dict[str, int]:
    """check_item over a container reader's output; counts by kind."""
    counts = {"document": 0, "rejected": 0}
    for item in items:
        counts[check_item(item)] += 1
    return counts


# --------------------------------------------------------------------------- strategies

hostile_piece = st.one_of(
    st.sampled_from(SENTENCES), st.sampled_from(HOSTILE_CHARS),
    st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
)
hostile_str = st.lists(hostile_piece, max_size=12).map("".join)


@st.composite
def hostile_text_bytes(draw) -> bytes:
    """Text with hostile characters, in a random encoding, with invalid bytes spliced in."""
    text = draw(hostile_str)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="ignore")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(INVALID_UTF8)) + data[at:]
    return data


random_bytes = st.binary(max_size=4000)
any_text_bytes = st.one_of(random_bytes, hostile_text_bytes())

TAGS = ["div", "p", "span", "article", "main", "nav", "footer", "header", "aside", "script",
        "style", "table", "tr", "td", "ul", "li", "a", "b", "iframe", "noscript", "svg", "form",
        "h1", "title", "template", "textarea", "xmp", "plaintext", "!--", "meta", "br"]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


html_tree = st.recursive(
    st.one_of(hostile_str, st.sampled_from(SENTENCES).map(_escape)),
    lambda children: st.tuples(st.sampled_from(TAGS), st.lists(children, max_size=5),
                               st.booleans(), hostile_str).map(
        lambda t: (f"<{t[0]} class=\"{_escape(t[3])[:20]}\">" + "".join(t[1])
                   + (f"</{t[0]}>" if t[2] else ""))),
    max_leaves=15,
)


@st.composite
def html_bytes(draw) -> bytes:
    """A page around a random tag tree: sometimes well-formed, often not."""
    head = draw(st.sampled_from([
        "", "<!DOCTYPE html>", "<?xml version='1.0' encoding='bogus-9'?>",
        "<meta charset=\"x-unknown\">", ("<meta http-equiv='Content-Type' "
        "content='text/html; charset=shift_jis'>"), "<html><head><title>t</title></head>",
    ]))
    body = draw(html_tree)
    page = f"{head}<html><body>{body}</body></html>" if draw(st.booleans()) else head + body
    encoding = draw(st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252"]))
    data = page.encode(encoding, errors="ignore")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # truncated download
    return data


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
              hostile_str),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=6,
)
FIELDS = ["text", "title", "date", "url", "id", "source", "published", "content", "body"]


@st.composite
def jsonl_line(draw) -> bytes:
    """One JSONL line: a record with missing/wrong-typed fields, a non-object, or junk."""
    kind = draw(st.sampled_from(["record", "record", "record", "value", "junk", "bytes"]))
    if kind == "record":
        record = {}
        for name in draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True)):
            if name == "text" and draw(st.booleans()):
                record[name] = " ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1,
                                                      max_size=6))) + draw(hostile_str)
            else:
                record[name] = draw(json_value)
        line = json.dumps(record, ensure_ascii=draw(st.booleans()), allow_nan=True)
        return line.encode("utf-8", errors="surrogatepass")
    if kind == "value":
        return json.dumps(draw(json_value)).encode("utf-8", errors="surrogatepass")
    if kind == "junk":
        return draw(hostile_str).replace("\n", " ").encode("utf-8", errors="surrogatepass")
    return draw(random_bytes).replace(b"\n", b" ")


jsonl_bytes = st.lists(jsonl_line(), max_size=5).map(lambda lines: b"\n".join(lines))


def build_warc(pages: list[tuple[str, bytes, str]], gz: bool) -> bytes:
    """A WARC (gzipped per record or not) of (url, body, content type) responses, via warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for n, (url, body, ctype) in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        # Fixed id and date: the same draw must give the same bytes (hypothesis replays).
        fixed = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>",
                 "WARC-Date": "2018-03-23T12:00:00Z"}
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers,
                                                      warc_headers_dict=fixed))
    return buf.getvalue()


@st.composite
def warc_bytes(draw) -> bytes:
    """A real WARC of random pages, then maybe truncated, corrupted or wrapped wrongly."""
    pages = draw(st.lists(st.tuples(
        st.sampled_from(["http://example.org/a", "https://news.example.com/story?id=1",
                         "urn:x", "http://[::1]/"]),
        st.one_of(html_bytes(), random_bytes),
        st.sampled_from(["text/html; charset=utf-8", "text/html", "application/xhtml+xml",
                         "image/png", "text/html; charset=bogus", "text/plain", ""]),
    ), max_size=3))
    data = build_warc(pages, gz=draw(st.booleans()))
    damage = draw(st.sampled_from(["none", "truncate", "flip", "prefix"]))
    if damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    elif damage == "prefix":
        data = draw(random_bytes) + data
    return data


@st.composite
def feed_bytes(draw) -> bytes:
    """RSS 2.0 or Atom with random items; text sometimes escaped, sometimes raw (broken XML)."""
    escape = draw(st.booleans())
    items = draw(st.lists(st.tuples(hostile_str, st.one_of(hostile_str, html_tree),
                                    st.sampled_from(["", "Tue, 10 Apr 2018 10:00:00 GMT",
                                                     "yesterday", "2018-13-45", "0"])),
                          max_size=4))
    esc = _escape if escape else (lambda s: s)
    if draw(st.booleans()):
        body = "".join(f"<item><title>{esc(t)}</title><description>{esc(d)}</description>"
                       f"<pubDate>{p}</pubDate><link>http://example.org/{i}</link></item>"
                       for i, (t, d, p) in enumerate(items))
        doc = f"<?xml version='1.0'?><rss version='2.0'><channel><title>F</title>{body}"
        doc += "</channel></rss>"
    else:
        body = "".join(f"<entry><title>{esc(t)}</title><content type='html'>{esc(d)}</content>"
                       f"<updated>{p}</updated></entry>" for t, d, p in items)
        doc = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>F</title>{body}</feed>"
    data = doc.encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


def gzip_bytes(data: bytes, truncate_at: int | None = None) -> bytes:
    packed = gzip.compress(data)
    return packed if truncate_at is None else packed[:truncate_at]

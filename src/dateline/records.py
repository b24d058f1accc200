"""The data contract: every record dateline produces, defined once (see CONTRACT.md).

This module imports nothing else of ours. Stages enrich these records and hand
them on; the store, exports, dashboard and Spark job all speak their JSON form.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


def content_id(text: str, length: int = 16) -> str:
    """Stable hex id of a text: the same content always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass
class Document:
    """One clean story: the text every offset refers to, plus its metadata."""

    text: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD), never invented
    url: str | None = None
    source: str | None = None
    language: str | None = "en"
    author: str | None = None
    origin: str | None = None  # where it was read from: path, URL, "warc:path#offset"
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Rejected:
    """An input that could not become a Document, with the reason why."""

    origin: str
    reason: str
    language: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(f"rejected:{self.origin}:{self.reason}")


@dataclass
class Actor:
    text: str
    name: str | None = None
    country: str | None = None  # ISO3 or PLOVER/CAMEO group code (IGO, NGO, UNO, ...)
    sector: str | None = None  # PLOVER sector code (GOV, MIL, COP, ...)
    code: str | None = None  # CAMEO-style composition, e.g. USAGOV
    title: str | None = None
    wikidata: str | None = None
    start: int | None = None  # char offsets of the mention in doc.text
    end: int | None = None

    def __post_init__(self) -> None:
        if self.code is None and (self.country or self.sector):
            self.code = f"{self.country or ''}{self.sector or ''}" or None

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Actor | None:
        if data is None:
            return None
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})


@dataclass
class Location:
    name: str
    country: str | None = None  # ISO3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # "city", "admin1", "country", ...


@dataclass
class Modality:
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False

    @property
    def factual(self) -> bool:
        return not (self.negated or self.hypothetical or self.future)


@dataclass
class Evidence:
    sentence: str
    start: int  # offsets of the sentence in doc.text
    end: int
    trigger: str
    trigger_start: int | None = None
    trigger_end: int | None = None


@dataclass
class Event:
    type: str
    evidence: Evidence
    mode: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None  # day | month | year | None
    location: Location | None = None
    modality: Modality = field(default_factory=Modality)
    confidence: float = 0.0
    id: str = ""

    def assign_id(self, doc_id: str) -> str:
        """Content hash of the document, the trigger position and the coded values."""
        key = json.dumps(
            [doc_id, self.evidence.start, self.evidence.trigger_start, self.evidence.trigger,
             self.type, [a.code for a in self.actors], [r.code for r in self.recipients]],
            sort_keys=True,
        )
        self.id = content_id(key)
        return self.id


@dataclass
class Quote:
    text: str
    start: int
    end: int
    speaker: Actor | None = None


@dataclass
class Claim:
    text: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None
    per: str | None = None
    what: str | None = None
    attributed_to: dict[str, Any] | None = None  # {"name": ..., "kind": "study|person|org", "actor": ACTOR}


@dataclass
class CodedDocument:
    doc: Document | None
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)  # story-level PLOVER contexts
    rejected: dict[str, Any] | None = None
    origin: str | None = None

    @classmethod
    def rejection(cls, rejected: Rejected) -> CodedDocument:
        return cls(doc=None, rejected={"reason": rejected.reason, "language": rejected.language,
                                       "id": rejected.id}, origin=rejected.origin)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        return out

    def to_line(self) -> str:
        """The record's JSON line: ``json.dumps(self.to_json())``, byte for byte.

        JSON's C encoder walks the record and asks :func:`_record_fields` for each record
        object it meets, instead of ``asdict`` first deep-copying every value into new
        dicts (3.4 -> 1.1 CPU ms a Guardian story, in every worker of a run with --out).
        """
        return json.dumps(self, default=_record_fields, ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CodedDocument:
        doc = Document(**data["doc"]) if data.get("doc") else None
        events = [event_from_json(e) for e in data.get("events") or []]
        quotes = [Quote(text=q["text"], start=q["start"], end=q["end"],
                        speaker=Actor.from_json(q.get("speaker"))) for q in data.get("quotes") or []]
        claims = [Claim(**{k: c.get(k) for k in Claim.__dataclass_fields__ if k in c})
                  for c in data.get("claims") or []]
        return cls(doc=doc, events=events, quotes=quotes, claims=claims,
                   contexts=list(data.get("contexts") or []), rejected=data.get("rejected"),
                   origin=data.get("origin"))


def shallow_copy(record: Any) -> Any:
    """A new record with the same field values: what ``dataclasses.replace(record)`` gives,
    ~8x cheaper, but without running ``__post_init__`` (a caller whose record has one does
    its work itself)."""
    out = object.__new__(type(record))
    out.__dict__.update(record.__dict__)
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _record_fields(obj: Any) -> dict[str, Any]:
    """A dataclass record's fields in declaration order, as ``asdict`` gives them (its
    values are encoded in turn, records among them by this function again)."""
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not is_dataclass(cls):
            raise TypeError(f"Object of type {cls.__name__} is not JSON serializable")
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return {name: getattr(obj, name) for name in names}


def event_from_json(data: dict[str, Any]) -> Event:
    loc = data.get("location")
    return Event(
        type=data["type"],
        evidence=Evidence(**data["evidence"]),
        mode=data.get("mode"),
        cameo=data.get("cameo"),
        quad_class=data.get("quad_class"),
        goldstein=data.get("goldstein"),
        actors=[Actor.from_json(a) for a in data.get("actors") or []],
        recipients=[Actor.from_json(a) for a in data.get("recipients") or []],
        contexts=list(data.get("contexts") or []),
        date=data.get("date"),
        date_precision=data.get("date_precision"),
        location=Location(**loc) if loc else None,
        modality=Modality(**(data.get("modality") or {})),
        confidence=data.get("confidence", 0.0),
        id=data.get("id", ""),
    )

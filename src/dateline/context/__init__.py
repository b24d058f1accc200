"""Context stage: when, where, about what, who said what and which figures.

`enrich(coded, sdoc, mentions)` runs after event extraction and fills, per event, `date`,
`date_precision`, `location`, `contexts` and `modality.historical`, and per story
`contexts`, `quotes` and `claims`. Each part lives in its own module: dates, places,
topics (PLOVER contexts), quotes, claims.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from dataclasses import replace
from datetime import date
from typing import Any

from dateline.context.claims import find_claims
from dateline.context.dates import DateMention, find_dates, is_historical, parse_iso
from dateline.context.places import (
    PlaceMention,
    dateline_place,
    find_places,
    has_parse,
    locate,
    note_text,
)
from dateline.context.quotes import find_quotes
from dateline.context.topics import context_hits, event_contexts, story_contexts
from dateline.records import CodedDocument, Event

__all__ = ["enrich", "event_date", "find_claims", "find_dates", "find_places", "find_quotes",
           "story_contexts"]

log = logging.getLogger(__name__)


# Country-code domains whose newspapers write numeric dates month first.
_MONTH_FIRST_TLDS = {"us", "ph", "fm", "pw", "mh"}


def story_day_first(url: str | None) -> bool:
    """Whether a story's numeric dates read day/month: true for country-code domains other
    than the few month-first ones (US, Philippines, ...); false (US style) when unknown."""
    if not url:
        return False
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0].split(":")[0]
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    return len(tld) == 2 and tld not in _MONTH_FIRST_TLDS


def enrich(coded: CodedDocument, sdoc: Any, mentions: list[Any] | None, *,
           day_first: bool | None = None) -> None:
    """Fill dates, places, contexts, historical modality, quotes and claims in place.

    `day_first` reads numeric dates as day/month (the story's locale); by default it follows
    the story URL's country domain (``.co.uk`` day first), else US month/day.
    """
    doc = coded.doc
    if doc is None or not doc.text:
        return
    if day_first is None:
        day_first = story_day_first(doc.url)
    text = doc.text
    mentions = list(mentions or [])
    story = parse_iso(doc.published)
    dates = find_dates(text, story, day_first=day_first)
    if sdoc is not None:
        note_text(sdoc, text)
    places = find_places(text, sdoc, mentions) if sdoc is not None else []
    countries = {p.place.country for p in places if p.place and p.place.feature == "country"}
    filed_at = dateline_place(text, countries=countries)
    hits = context_hits(text)
    coded.contexts = story_contexts(text, doc.title, hits=hits)
    hit_at = [h[0] for h in hits]
    for event in coded.events:
        trigger = _trigger_token(sdoc, event)
        value, precision = event_date(event, text, dates, trigger, story, day_first=day_first)
        event.date, event.date_precision = value, precision
        if is_historical(value, precision, story):
            event.modality.historical = True
        event.location = _event_location(sdoc, trigger, places, filed_at, event)
        ev = event.evidence
        # The story's hits are in text order: only those inside the sentence are passed.
        in_sent = hits[bisect_left(hit_at, ev.start):bisect_left(hit_at, ev.end)]
        event.contexts = event_contexts(ev.sentence, event.cameo, coded.contexts, in_sent,
                                        (ev.start, ev.end))
    coded.quotes = find_quotes(text, sdoc, mentions)
    coded.claims = find_claims(text, sdoc, mentions, dates)


def _trigger_token(sdoc: Any, event: Event) -> Any:
    """The spaCy token of an event's trigger (its syntactic head), or None."""
    if sdoc is None:
        return None
    ev = event.evidence
    start, end = ev.trigger_start, ev.trigger_end
    if start is None or end is None:
        idx = ev.sentence.find(ev.trigger) if ev.trigger else -1
        if idx < 0:
            return None
        start, end = ev.start + idx, ev.start + idx + len(ev.trigger)
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _analysed(tok: Any) -> bool:
    return tok is not None and bool(tok.dep_) and has_parse(tok.doc)


def _verbal(tok: Any) -> bool:
    return tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT"


def _governor(tok: Any) -> Any:
    """The first verb above a token (the clause it belongs to), or the sentence root."""
    cur = tok
    for _ in range(20):
        head = cur.head
        if head is cur:
            return cur
        if _verbal(head):
            return head
        cur = head
    return cur


def event_date(event: Event, text: str, dates: list[DateMention], trigger: Any,
               story: date | None, *, day_first: bool = False) -> tuple[str | None, str | None]:
    """(date, precision) of an event from the date expressions governing its clause.

    With a parse: the date attached to the trigger's clause, else to the nearest clause
    above it (reported speech inherits the date of its speech act). Without one: the
    sentence's date when all its date expressions agree. Else the story date.
    """
    ev = event.evidence
    in_sent = [d for d in dates if ev.start <= d.start and d.end <= ev.end and d.value]
    if in_sent and event.modality.future:
        # Partial dates ("on Friday", "in May") point forward in future-tense clauses.
        redone = []
        for d in in_sent:
            again = find_dates(text[d.start:d.end], story, future=True, day_first=day_first)
            if again and again[0].value:
                d = replace(d, value=again[0].value, precision=again[0].precision)
            redone.append(d)
        in_sent = redone
    chosen: DateMention | None = None
    if in_sent and _analysed(trigger):
        chain = [trigger]
        cur = trigger
        for _ in range(12):
            nxt = _governor(cur)
            if nxt is cur:
                break
            chain.append(nxt)
            cur = nxt
        best: tuple[int, int] | None = None
        sdoc = trigger.doc
        for n, d in enumerate(in_sent):
            span = sdoc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None:
                continue
            gov = _governor(span.root)
            if gov in chain:
                rank = (chain.index(gov), abs(span.root.i - trigger.i))
                if best is None or rank < best:
                    best, chosen = rank, d
    elif in_sent and len({d.value for d in in_sent}) == 1:
        chosen = in_sent[0]
    if chosen is not None:
        return chosen.value, chosen.precision
    if story is not None:
        return story.isoformat(), "day"
    return None, None


def _event_location(sdoc: Any, trigger: Any, places: list[PlaceMention],
                    filed_at: PlaceMention | None, event: Event) -> Any:
    """The place attached to the trigger's clause, else the dateline's place, else None."""
    if _analysed(trigger):
        try:
            found = locate(sdoc, trigger, places)
        except (ValueError, IndexError) as exc:  # a broken parse must not sink the story
            log.debug("locate failed: %s", exc)
            found = None
        if found is not None:
            return found.location
    if filed_at is not None and not event.modality.historical:
        return filed_at.location
    return None

"""The one list of stages: Document -> CodedDocument.

Each stage reads what earlier stages produced and adds to it; none reaches back:

1. ``nlp.parse``            tokens and sentences of the whole text; POS, dependencies and
                            entities for the sentences that can hold an event
2. ``actors.find_mentions`` actor mentions resolved to country, sector, dated role
3. ``events.extract_events`` triggers, roles, type/mode/CAMEO, modality, evidence, confidence
4. ``context.enrich``       dates, places, contexts, quotes, claims, historical modality
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from dateline.records import CodedDocument, Document, Rejected

CODER_VERSION = "0.2.0"
BATCH = 16  # stories parsed together: spaCy batches their analysed sentences

log = logging.getLogger(__name__)


def _stages(doc: Document, sdoc) -> CodedDocument:
    from dateline import actors, context, events

    mentions = actors.find_mentions(doc, sdoc)
    coded = CodedDocument(doc=doc, events=events.extract_events(doc, sdoc, mentions),
                          origin=doc.origin)
    context.enrich(coded, sdoc, mentions)
    for event in coded.events:
        event.assign_id(doc.id)
    return coded


def _failed(doc: Document, exc: Exception) -> CodedDocument:
    """A story the coder could not handle becomes a rejected record, never a crashed batch."""
    log.exception("coding failed for %s", doc.origin or doc.id)
    return CodedDocument(doc=doc, rejected={"reason": f"coding failed: {exc.__class__.__name__}: "
                                                      f"{exc}", "id": doc.id},
                         origin=doc.origin)


def code_document(doc: Document) -> CodedDocument:
    """Code one clean story: actors, events, then dates, places, contexts, quotes, claims."""
    from dateline import nlp

    nlp.warm([doc.text])  # outside the zone: the story's recurring words stay tokenized
    with nlp.zone():  # the story's new words are forgotten once it is coded
        return _code_one(doc)


def _code_one(doc: Document) -> CodedDocument:
    from dateline import events, nlp

    try:
        return _stages(doc, nlp.parse(doc.text, select=events.may_hold_event))
    except Exception as exc:  # noqa: BLE001 - one bad story must not stop a batch
        return _failed(doc, exc)


def code_documents(items: Iterable[Document | Rejected]) -> Iterator[CodedDocument]:
    """Code a stream of ingested items (parsed in batches); rejections pass through."""
    from dateline import events, nlp

    pending: list[Document | Rejected] = []

    def flush() -> list[CodedDocument]:
        docs = [d for d in pending if isinstance(d, Document)]
        out: list[CodedDocument] = []
        nlp.warm([d.text for d in docs])  # outside the zone: common words stay tokenized
        with nlp.zone():  # the batch's parses must not outlive it: code it all inside
            try:
                parsed = nlp.parse_many([d.text for d in docs], select=events.may_hold_event)
            except Exception:  # noqa: BLE001 - fall back to one story at a time
                parsed = None
            k = 0
            for item in pending:
                if isinstance(item, Rejected):
                    out.append(CodedDocument.rejection(item))
                    continue
                if parsed is None:
                    out.append(_code_one(item))
                else:
                    try:
                        out.append(_stages(item, parsed[k]))
                    except Exception as exc:  # noqa: BLE001
                        out.append(_failed(item, exc))
                k += 1
        pending.clear()
        return out

    for item in items:
        pending.append(item)
        if len(pending) >= BATCH:
            yield from flush()
    if pending:
        yield from flush()


def settle_worker(*, collect: bool = True) -> None:
    """In a worker process, once its models are loaded: exempt what is loaded from the
    cyclic garbage collector, whose full passes otherwise walk it every ~100 stories.

    The models, dictionaries and gazetteer are ~600k long-lived objects: each full pass took
    ~0.4-0.7 CPU s (~3-4 ms a story). Only for processes that do nothing but code stories (an
    object alive now that later becomes cyclic garbage is never freed). ``collect=False``
    skips the full collection before the freeze, for a caller that loaded with the
    collector disabled (nothing to collect); the collector is enabled on return.
    """
    import gc

    if collect:
        gc.collect()
    gc.freeze()
    gc.enable()


def code_text(text: str, *, published: str | None = None, title: str | None = None,
              url: str | None = None, source: str | None = None) -> CodedDocument:
    """Code a plain-text story from Python, as `dateline code` would."""
    return code_document(Document(text=text, published=published, title=title, url=url,
                                  source=source, origin="<text>"))

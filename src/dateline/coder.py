"""The one list of stages: Document -> CodedDocument.

Each stage reads what earlier stages produced and adds to it; none reaches back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dateline.records import CodedDocument, Document, Rejected

CODER_VERSION = "0.1.0"


def code_document(doc: Document) -> CodedDocument:
    """Code one clean story: actors, events, then dates, places, contexts, quotes, claims."""
    from dateline import actors, context, events, nlp

    sdoc = nlp.parse(doc.text)
    mentions = actors.find_mentions(doc, sdoc)
    coded = CodedDocument(doc=doc, events=events.extract_events(doc, sdoc, mentions),
                          origin=doc.origin)
    context.enrich(coded, sdoc, mentions)
    for event in coded.events:
        event.assign_id(doc.id)
    return coded


def code_documents(items: Iterable[Document | Rejected]) -> Iterator[CodedDocument]:
    """Code a stream of ingested items; rejections pass through as rejected records."""
    for item in items:
        if isinstance(item, Rejected):
            yield CodedDocument.rejection(item)
        else:
            yield code_document(item)


def code_text(text: str, *, published: str | None = None, title: str | None = None,
              url: str | None = None, source: str | None = None) -> CodedDocument:
    """Code a plain-text story from Python, as `dateline code` would."""
    return code_document(Document(text=text, published=published, title=title, url=url,
                                  source=source, origin="<text>"))

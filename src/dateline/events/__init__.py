"""Events: triggers from the parse and the verb lexicon, roles, modality, the classifier.

``extract_events(doc, sdoc, mentions)`` codes one parsed story; ``may_hold_event(sent)`` is
the cheap sentence filter the coder hands to ``dateline.nlp.parse`` so that only sentences
that can hold an event get the costly analysis.
"""

from dateline.events.extract import extract_events, may_hold_event

__all__ = ["extract_events", "may_hold_event"]

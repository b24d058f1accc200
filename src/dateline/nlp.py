"""Loads the best English spaCy pipeline available (placeholder until the coder lands)."""
# TEMPORARY: replaced by the event-coder work (issue 3).


def parse(text: str):
    return None

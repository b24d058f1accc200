"""Events from triggers and roles (placeholder until issue 3 lands)."""
# TEMPORARY: replaced by the event-coder work (issue 3).


def extract_events(doc, sdoc, mentions) -> list:
    return []

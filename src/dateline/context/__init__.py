"""Dates, places, contexts, quotes and claims (placeholder until issue 4 lands)."""
# TEMPORARY: replaced by the context work (issue 4).


def enrich(coded, sdoc, mentions) -> None:
    return None

"""Actor mentions resolved to country + sector (placeholder until issue 3 lands)."""
# TEMPORARY: replaced by the actors work (issue 3).


def find_mentions(doc, sdoc) -> list:
    return []

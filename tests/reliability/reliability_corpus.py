"""Short wire-style stories we write from templates, for runs that must be long-ish but quick."""

from __future__ import annotations

import json
from pathlib import Path

CITIES = [("Lagos", "Nigerian"), ("Nairobi", "Kenyan"), ("Lima", "Peruvian"),
          ("Manila", "Philippine"), ("Caracas", "Venezuelan"), ("Dhaka", "Bangladeshi"),
          ("Kabul", "Afghan"), ("Bogota", "Colombian")]
ISSUES = ["fuel prices", "a disputed election", "police violence", "land evictions",
          "unpaid wages", "water shortages"]
PARTNERS = ["France", "Japan", "Brazil", "Germany", "India", "Turkey"]


def story(i: int) -> dict:
    """Story number i: an arrest after a protest, then a meeting and an agreement."""
    city, adj = CITIES[i % len(CITIES)]
    issue = ISSUES[(i // len(CITIES)) % len(ISSUES)]
    partner = PARTNERS[(i // 3) % len(PARTNERS)]
    n = 3 + i % 40
    text = (f"Police in {city} arrested {n} demonstrators on Tuesday after a protest over "
            f"{issue} turned violent, officials said. Witnesses said officers fired tear gas "
            f"at the crowd near the parliament.\n\nThe {adj} interior minister met the "
            f"ambassador of {partner} on Wednesday and the two governments agreed to expand "
            f"police training, according to a statement numbered {1000 + i}.")
    return {"text": text, "title": f"Arrests in {city} ({i})", "date": "2018-03-23",
            "source": "Test Wire"}


def write_corpus(path: Path, n: int, start: int = 0) -> Path:
    """JSONL of stories start..start+n-1 (distinct texts, so distinct content ids)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(story(i)) + "\n" for i in range(start, start + n))
    return path

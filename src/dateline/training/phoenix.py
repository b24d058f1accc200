"""The Phoenix/PETRARCH-2 verb dictionary (CAMEO.2.0.txt, MIT) as classifier hints.

Each verb form maps to the PLOVER types its CAMEO patterns code to, and each verb + object
word pair to its pattern's type; both become features ("pv:", "pp:") of the classifier.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

from dateline.events.classifier import _stem
from dateline.ontology import plover_for

_HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
_CODE = re.compile(r"\[([0-9]{2,4})(?::[0-9]+)?\]")


@cache
def _plover(code: str) -> str | None:
    # CAMEO 01 (statements) and 02 (appeals) have no PLOVER type but are telling hints.
    if code.startswith("01"):
        return "STATEMENT"
    if code.startswith("02"):
        return "APPEAL"
    entry = plover_for(code)
    return entry.plover if entry else None


def _forms(line: str) -> list[str]:
    """Verb forms of a dictionary entry line: the word, its listed forms, regular inflections."""
    body = line.split("#", 1)[0].strip()
    listed = re.findall(r"\{([^}]*)\}", body)
    head = re.sub(r"\{[^}]*\}", "", body).strip().lstrip("+")
    if not head:
        return []
    words = [head] + [w.lstrip("+") for grp in listed for w in grp.split()]
    out = []
    for w in words:
        w = w.lower().replace("_", " ").strip()
        if w:
            out.append(w.split(" ")[0])  # first word: multiword verbs are matched by their verb
    if not listed:
        base = out[0]
        out += [base + "s", base + "ed", base + "ing", base + "d", base + "es"]
    return out


def read_lexicon(path: str | Path) -> dict[str, dict]:
    """Parse CAMEO.2.0.txt -> {"verbs": {stem: [types]}, "phrases": {"stem objstem": type}}."""
    verb_types: dict[str, Counter] = defaultdict(Counter)
    phrase_types: dict[str, Counter] = defaultdict(Counter)
    in_patterns = False
    block_forms: list[str] = []
    block_code: str | None = None
    for raw in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.rstrip()
        if "####### VERB PATTERNS" in line:
            in_patterns = True
            continue
        if not in_patterns or not line.strip() or line.startswith("#"):
            continue
        m = _HEADER.match(line)
        if m:
            block_forms = []
            block_code = m.group(2) if m.group(2) != "---" else None
            continue
        if line.startswith("-"):
            cm = _CODE.search(line)
            if not cm:
                continue
            plover = _plover(cm.group(1))
            if not plover:
                continue
            pattern = line[1: cm.start()]
            after = pattern.split("*", 1)[1] if "*" in pattern else ""
            obj = next((w for w in re.findall(r"[A-Za-z]+", after)), None)
            for f in set(block_forms):
                verb_types[_stem(f)][plover] += 1
                if obj and not after.strip().startswith("&"):
                    phrase_types[_stem(f) + " " + _stem(obj.lower())][plover] += 1
            continue
        forms = _forms(line)
        block_forms.extend(forms)
        if block_code:
            plover = _plover(block_code)
            if plover:
                for f in forms:
                    verb_types[_stem(f)][plover] += 3  # the block default outweighs one pattern
    verbs = {}
    for stem, counts in verb_types.items():
        total = sum(counts.values())
        keep = [t for t, n in counts.most_common(3) if n / total >= 0.2]
        if keep:
            verbs[stem] = keep
    phrases = {k: c.most_common(1)[0][0] for k, c in phrase_types.items()}
    return {"source": "openeventdata/petrarch2 CAMEO.2.0.txt (MIT)",
            "verbs": verbs, "phrases": phrases}

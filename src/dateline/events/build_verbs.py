"""Compile the PETRARCH-2 CAMEO verb dictionary into the compact TSVs under data/verbs/.

Run: python -m dateline.events.build_verbs ../shared/data/dictionaries/phoenix/CAMEO.2.0.txt
The output holds facts only (verb forms, patterns, CAMEO codes); source and licence go in
each file's header.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "verbs"

HEADER = """# {what}
# Compiled by dateline.events.build_verbs from the PETRARCH-2 CAMEO verb dictionary
# (CAMEO.2.0.txt, openeventdata/petrarch2@676801c, LAST UPDATE 30 April 2015).
# Copyright (c) 2015 Open Event Data Alliance. MIT License: permission is hereby granted,
# free of charge, to deal in the Software without restriction (full text in the source file).
"""

_BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
_CODE = re.compile(r"\[([^\]]*)\]")


def _codes(raw: str) -> tuple[str, str]:
    """'042:043' -> ('042', '043'); ':173' -> ('', '173'); '---' -> ('', '')."""
    raw = raw.replace("!", "").strip()
    if raw.startswith("---") or not raw:
        return "", ""
    first, _, second = raw.partition(":")
    clean = [c if c.isdigit() else "" for c in (first.strip(), second.strip())]
    return clean[0], clean[1]


def inflect(verb: str) -> list[str]:
    """Regular forms of an English verb, as PETRARCH generates them."""
    v = verb.lower()
    forms = {v}
    if v.endswith("y") and len(v) > 1 and v[-2] not in "aeiou":
        forms |= {v[:-1] + "ies", v[:-1] + "ied", v + "ing"}
        return sorted(forms)
    forms.add(v + "es" if v.endswith(("s", "x", "z", "ch", "sh", "o")) else v + "s")
    forms.add(v + "d" if v.endswith("e") else v + "ed")
    forms.add(v[:-1] + "ing" if v.endswith("e") and not v.endswith("ee") else v + "ing")
    return sorted(forms)


def _phrase(word: str) -> str:
    return word.lstrip("+").rstrip("_").replace("_", " ").lower().strip()


def compile_dictionary(path: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    synsets: dict[str, list[str]] = {}
    verbs: list[tuple] = []
    patterns: list[tuple] = []
    section = "synsets"
    current_set = None
    block, block_code = None, ""
    for raw in lines:
        line = raw.split("#", 1)[0].split(";", 1)[0].rstrip()
        if raw.startswith("####### VERB PATTERNS"):
            section = "verbs"
            continue
        if raw.startswith("######## TRANSFORMATIONS"):
            break
        if not line.strip():
            current_set = None if section == "synsets" else current_set
            continue
        if section == "synsets":
            if line.startswith("&"):
                current_set = line.strip()
                synsets[current_set] = []
            elif line.startswith("+") and current_set:
                synsets[current_set].append(_phrase(line.strip()))
            continue
        m = _BLOCK.match(line)
        if m:
            block = m.group(1)
            block_code = _codes(m.group(2))[0]
            continue
        if block is None:
            continue
        if line.startswith("-"):
            body = line[1:]
            cm = _CODE.search(body)
            if not cm or "*" not in body:
                continue
            code, code2 = _codes(cm.group(1))
            pre, _, post = body[: cm.start()].partition("*")
            patterns.append((block, " ".join(pre.split()).lower(), " ".join(post.split()).lower(),
                             code, code2))
            continue
        cm = _CODE.search(line)
        code, code2 = _codes(cm.group(1)) if cm else (block_code, "")
        head = line[: cm.start()] if cm else line
        irregular = re.search(r"\{([^}]*)\}", head)
        word = head[: irregular.start()] if irregular else head
        word = word.strip().split()[0] if word.strip() else ""
        if not word:
            continue
        phrase = _phrase(word)
        if " " in phrase:
            first, rest = phrase.split(" ", 1)
            forms = [f"{f} {rest}" for f in inflect(first)]
        else:
            forms = inflect(phrase)
        if irregular:
            forms += [_phrase(f) for f in irregular.group(1).split() if f.strip()]
        verbs.append((phrase, ",".join(sorted(set(forms))), code, code2, block))
    sets = [(name, "|".join(words)) for name, words in synsets.items()]
    return verbs, patterns, sets


def write(path: Path, out: Path = OUT) -> None:
    verbs, patterns, sets = compile_dictionary(path)
    out.mkdir(parents=True, exist_ok=True)
    (out / "verbs.tsv").write_text(
        HEADER.format(what="Verbs: lemma, inflected forms, CAMEO code (second code = for the "
                      "reverse direction), PETRARCH verb block")
        + "verb\tforms\tcode\tcode2\tblock\n"
        + "".join("\t".join(r) + "\n" for r in verbs), encoding="utf-8")
    (out / "patterns.tsv").write_text(
        HEADER.format(what="Verb patterns: block, words before and after the verb (*), CAMEO code; "
                      "(PREP ...) = prepositional phrase, {..} = noun phrase, &SET = synonym set")
        + "block\tbefore\tafter\tcode\tcode2\n"
        + "".join("\t".join(r) + "\n" for r in patterns), encoding="utf-8")
    (out / "synsets.tsv").write_text(
        HEADER.format(what="Synonym sets used by the verb patterns")
        + "set\twords\n" + "".join("\t".join(r) + "\n" for r in sets), encoding="utf-8")
    print(f"{len(verbs)} verbs, {len(patterns)} patterns, {len(sets)} synonym sets -> {out}")


if __name__ == "__main__":
    write(Path(sys.argv[1]))

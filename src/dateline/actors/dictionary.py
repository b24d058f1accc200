"""Actor dictionaries: loading the shipped and user TSV files into one phrase index.

File format (documented in dateline/data/actors/README.md): one role per line,
``kind  name  aliases  code  from  until  title  gender`` separated by tabs; rows
with the same kind and name are one entity. Later files override earlier ones.
"""

from __future__ import annotations

import gc
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from dateline.actors.codes import split_code

ENV_VAR = "DATELINE_ACTORS"
KINDS = ("person", "country", "capital", "place", "org", "agent")
COLUMNS = ("kind", "name", "aliases", "code", "from", "until", "title", "gender")
# Shipped files, lowest priority first: later files override earlier ones.
SHIPPED = ("phoenix_actors.json", "phoenix_agents.json", "countries.tsv", "organisations.tsv",
           "agents.tsv", "people.tsv")

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(slots=True)
class Role:
    """One code an entity holds, optionally only between two dates (inclusive)."""

    code: str
    country: str | None
    sector: str | None
    start: str | None = None  # YYYY-MM-DD
    end: str | None = None
    title: str | None = None

    def holds_on(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(slots=True, eq=False)
class Entry:
    """A dictionary entity (a person, country, organisation, role noun ...) with its roles."""

    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)  # folded token tuples matched
    dated: list[Role] = field(default_factory=list)
    default: Role | None = None
    gender: str | None = None  # "m" | "f" | None
    priority: int = 0  # index of the file it came from; higher wins
    replaced: bool = False  # redefined by a later file

    def role_on(self, day: str | None) -> Role | None:
        """The role valid on `day`; outside every dated role, the undated default (or None)."""
        if day:
            valid = [r for r in self.dated if r.holds_on(day)]
            if valid:
                # the most recently started role is the current one (e.g. a promotion)
                return max(valid, key=lambda r: r.start or "")
        if self.default is not None:
            return self.default
        countries = {r.country for r in self.dated}
        if len(countries) == 1:
            country = countries.pop()
            # outside all dated roles: only the country is known, never a role of the wrong date
            return Role(code=country or "", country=country, sector=None) if country else None
        return None


def fold(text: str) -> str:
    """Lowercase, strip accents and unify apostrophes: the form tokens are matched in."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_SPLIT_PUNCT = re.compile(r"^([\"'(\[{«“]*)(.*?)([\"')\]}»”,;:!?]*)$")
_ABBREV = re.compile(r"^([A-Za-z]\.)+$|^(mr|mrs|ms|dr|st|jr|sr|gen|col|lt|sgt|rep|sen|gov|prof|"
                     r"rev|capt|maj|adm|cmdr|pres|u\.s|u\.n|u\.k|d\.c|no|mt|ft|co|inc|ltd|corp)\.$",
                     re.IGNORECASE)
_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Split a dictionary phrase the way spaCy's English tokenizer splits names, then fold."""
    return tuple(fold(t) for t in split_phrase(phrase))


def split_phrase(phrase: str) -> list[str]:
    """Surface tokens of a phrase, split like spaCy's English tokenizer splits names."""
    out: list[str] = []
    for raw in phrase.replace("_", " ").split():
        m = _SPLIT_PUNCT.match(raw)
        lead, word, trail = (m.group(1), m.group(2), m.group(3)) if m else ("", raw, "")
        out.extend(lead)
        possessive = ""
        for suffix in ("'s", "\u2019s"):
            if word.lower().endswith(suffix) and len(word) > 2:
                word, possessive = word[:-2], "'s"
        if word.endswith(".") and not _ABBREV.match(word) and len(word) > 1:
            word, trail = word[:-1], "." + trail
        if word:
            parts = _HYPHEN.split(word)
            for i, part in enumerate(parts):
                if i:
                    out.append("-")
                out.append(part)
        if possessive:
            out.append(possessive)
        out.extend(trail)
    return [t for t in out if t]


def _iso_date(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    ok = bool(_DATE.match(value))
    if ok:
        full = (value + "-01-01"[len(value) - 4:]) if len(value) < 10 else value
        try:
            date.fromisoformat(full)
        except ValueError:
            ok = False
    if not ok:
        raise ValueError(f"bad date {value!r} (want YYYY-MM-DD, YYYY-MM or YYYY)")
    return value


@dataclass
class ActorDictionary:
    """All entries, indexed by folded token tuples of their aliases."""

    entries: list[Entry] = field(default_factory=list)
    index: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    first: dict[str, tuple[int, ...]] = field(default_factory=dict)  # first token -> lengths
    # the first two tokens of every phrase of two or more (see first_pairs): built on first
    # use, not stored in the start-up cache (unpickling them cost twice building them)
    pairs: set[tuple[str, str]] | None = None
    singles: frozenset[str] | None = None  # words that are a phrase alone (see single_words)
    _by_name: dict[tuple[str, str], Entry] = field(default_factory=dict)
    _shared_below: int = -(1 << 30)  # entries of lower priority belong to a shared base

    def add_file(self, path: Path | str, priority: int, text: str | None = None) -> None:
        """Read one TSV file; its entities override same-named ones of lower priority."""
        text = text if text is not None else Path(path).read_text(encoding="utf-8")
        open_until: str | None = None
        tokenized = False  # built files carry aliases already split into folded tokens
        merged: dict[tuple[str, str], Entry] = {}
        roles: dict[tuple, Role] = {}  # identical roles are shared (most Phoenix rows repeat)
        kinds = set(KINDS)
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line or line[0] == "#":
                if line.startswith("#"):
                    m = re.match(r"#\s*open-ended-until:\s*(\S+)", line)
                    if m:
                        open_until = _iso_date(m.group(1))
                    tokenized = tokenized or bool(re.match(r"#\s*tokenized:\s*yes", line))
                continue
            cols = line.split("\t")
            if len(cols) < 8:
                if not line.strip():
                    continue
                cols += [""] * (8 - len(cols))
            kind, name, aliases, code, start, end, title, gender = cols[:8]
            if kind not in kinds:
                if kind.strip() == "kind":
                    continue  # the column header
                kind, name = kind.strip(), name.strip()
                if kind not in kinds:
                    raise ValueError(f"{path}:{lineno}: need a kind in {KINDS} and a name")
            if not tokenized:
                name, code, start, end = name.strip(), code.strip(), start.strip(), end.strip()
                title, gender = title.strip(), gender.strip()
            if not name:
                raise ValueError(f"{path}:{lineno}: need a kind in {KINDS} and a name")
            start_d = end_d = None
            if start or end:
                try:
                    start_d, end_d = _iso_date(start), _iso_date(end)
                except ValueError as exc:
                    raise ValueError(f"{path}:{lineno}: {exc}") from None
                if start_d and len(start_d) < 10:
                    start_d = (start_d + "-01-01")[:10]
                if end_d and len(end_d) < 10:
                    end_d = end_d + ("-12-31" if len(end_d) == 4 else "-31")
                if start_d and not end_d and open_until:
                    end_d = max(open_until, start_d)
            key = (kind, name)
            entry = merged.get(key)
            if entry is None:
                entry = merged[key] = Entry(kind=kind, name=name, priority=priority)
                if not tokenized:
                    entry.aliases.append(name)
                    entry.keys.append(phrase_tokens(name))
            if aliases:
                for alias in aliases.split("|"):
                    if tokenized:
                        toks = tuple(alias.split(" "))
                    else:
                        alias = alias.strip()
                        if not alias:
                            continue
                        toks = phrase_tokens(alias)
                    if toks not in entry.keys:
                        entry.aliases.append(alias)
                        entry.keys.append(toks)
            if gender in ("m", "f"):
                entry.gender = gender
            if code and not code.startswith("-"):  # "---" marks a phrase that is no actor
                rkey = (code, start_d, end_d, title)
                role = roles.get(rkey)
                if role is None:
                    country, sector = split_code(code)
                    role = roles[rkey] = Role(code=code, country=country, sector=sector,
                                              start=start_d, end=end_d, title=title or None)
                if start_d or end_d:
                    entry.dated.append(role)
                else:
                    entry.default = role
        by_name = self._by_name
        any_replaced = False
        for e in merged.values():
            if e.kind not in ("person", "org"):
                continue
            name_key = (e.kind, fold(e.name))
            old = by_name.get(name_key)
            if old is not None and old.priority < e.priority:
                # a person or organisation redefined in a later file replaces the earlier
                # roles; the earlier spellings stay as aliases of the new definition
                for key, alias in zip(old.keys, old.aliases):
                    if key not in e.keys:
                        e.keys.append(key)
                        e.aliases.append(alias)
                if e.gender is None:
                    e.gender = old.gender
                if old.priority >= self._shared_below:  # never touch a shared base entry
                    old.replaced = any_replaced = True
            by_name[name_key] = e
        if any_replaced:
            self.entries = [e for e in self.entries if not e.replaced]
        self.entries.extend(merged.values())

    def add_json(self, path: Path | str, priority: int) -> None:
        """Read a compiled dictionary (scripts/build_actor_dictionaries.py): same content as a
        TSV file, one entity per item, aliases already split into folded tokens."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        open_until = data.get("open_ended_until")
        roles: dict[tuple, Role] = {}
        for kind, name, keys, rows, gender in data["entries"]:
            entry = Entry(kind=kind, name=name, priority=priority, gender=gender or None)
            entry.aliases = keys
            entry.keys = [tuple(k.split(" ")) for k in keys]
            for code, start, end, title in rows:
                if start and not end and open_until:
                    end = max(open_until, start)
                rkey = (code, start, end, title)
                role = roles.get(rkey)
                if role is None:
                    country, sector = split_code(code)
                    role = roles[rkey] = Role(code=code, country=country, sector=sector,
                                              start=start, end=end, title=title)
                if start or end:
                    entry.dated.append(role)
                else:
                    entry.default = role
            self.entries.append(entry)
            if kind in ("person", "org"):
                self._by_name[(kind, fold(name))] = entry

    def build_index(self) -> None:
        index: dict[tuple[str, ...], list[Entry]] = {}
        for entry in self.entries:
            for toks in entry.keys:
                if toks and toks[0] == "the" and len(toks) > 1:
                    toks = toks[1:]  # "the" is matched optionally, in front of any phrase
                if not toks:
                    continue
                bucket = index.setdefault(toks, [])
                if entry not in bucket:
                    bucket.append(entry)
        for bucket in index.values():
            bucket.sort(key=lambda e: -e.priority)
        lengths: dict[str, set[int]] = {}
        for toks in index:
            lengths.setdefault(toks[0], set()).add(len(toks))
        self.index = index
        self.first = {t: tuple(sorted(n, reverse=True)) for t, n in lengths.items()}
        self.pairs = self.singles = None

    def with_files(self, paths: Sequence[str], first_priority: int) -> ActorDictionary:
        """A new dictionary: these files layered over this one, which stays unchanged."""
        layer = ActorDictionary(_by_name=dict(self._by_name), _shared_below=first_priority)
        for j, path in enumerate(paths):
            if not Path(path).is_file():
                raise FileNotFoundError(f"actor dictionary not found: {path} (from {ENV_VAR})")
            layer.add_file(path, priority=first_priority + j)
        layer.build_index()
        index = dict(self.index)
        first = dict(self.first)
        for toks, bucket in layer.index.items():
            merged = bucket + index.get(toks, [])
            merged.sort(key=lambda e: -e.priority)
            index[toks] = merged
            first[toks[0]] = tuple(sorted(set(first.get(toks[0], ())) | {len(toks)},
                                          reverse=True))
        layer.entries = self.entries + layer.entries
        layer.index, layer.first = index, first
        layer.pairs = layer.singles = None
        return layer

    def first_pairs(self) -> set[tuple[str, str]]:
        """The first two tokens of every phrase of two or more: most words that start a
        phrase ("new", "president") are not followed by a word that continues one."""
        if self.pairs is None:
            self.pairs = {toks[:2] for toks in self.index if len(toks) > 1}
        return self.pairs

    def single_words(self) -> frozenset[str]:
        """The words that are a whole phrase alone: a word that starts only longer phrases
        ("in", "a", "said") can match nowhere its next word does not continue one."""
        if self.singles is None:
            self.singles = frozenset(t for t, lengths in self.first.items() if 1 in lengths)
        return self.singles

    def lookup(self, toks: Sequence[str]) -> list[Entry]:
        return self.index.get(tuple(toks), [])


def _shipped_dir() -> Path:
    return Path(str(resources.files("dateline") / "data" / "actors"))


def user_paths(paths: Iterable[str | Path] | str | None = None) -> tuple[str, ...]:
    """User dictionary files from an argument or the DATELINE_ACTORS env var (colon-separated)."""
    if paths is None:
        paths = os.environ.get(ENV_VAR, "")
    if isinstance(paths, str):
        paths = [p for p in paths.split(os.pathsep) if p.strip()]
    return tuple(str(Path(p).expanduser()) for p in paths)


@lru_cache(maxsize=1)
def _shipped() -> ActorDictionary:
    """The shipped dictionaries, read from the start-up cache when their files are unchanged
    (a third of the cost of building them from the files)."""
    from dateline.actors import codes
    from dateline.context.cache import cached, key_of

    base = _shipped_dir()
    key = key_of([Path(__file__).read_bytes(), Path(codes.__file__).read_bytes()]
                 + [name.encode() + ((base / name).read_bytes() if (base / name).exists()
                                     else b"-") for name in SHIPPED])
    dictionary = cached("actors", key, _build_shipped)
    # one full collection now moves the dictionary into the oldest generation, instead of
    # the first stories paying for it (later full collections are rare); not where the
    # collector is off (a coding worker loading: it freezes everything once loaded)
    if gc.isenabled():
        gc.collect()
    return dictionary


def _build_shipped() -> ActorDictionary:
    # tens of thousands of small objects: cyclic GC passes during loading would triple its cost
    enabled = gc.isenabled()
    gc.disable()
    try:
        dictionary = ActorDictionary()
        base = _shipped_dir()
        for i, name in enumerate(SHIPPED):
            path = base / name
            if path.suffix == ".json":
                dictionary.add_json(path, priority=i)
            elif path.exists():
                dictionary.add_file(path, priority=i)
        dictionary.build_index()
    finally:
        if enabled:
            gc.enable()
    return dictionary


@lru_cache(maxsize=8)
def _load(user: tuple[str, ...]) -> ActorDictionary:
    base = _shipped()
    return base.with_files(user, first_priority=len(SHIPPED)) if user else base


def load_dictionary(paths: Iterable[str | Path] | str | None = None) -> ActorDictionary:
    """The shipped dictionaries plus user files (argument, else $DATELINE_ACTORS); cached."""
    return _load(user_paths(paths))

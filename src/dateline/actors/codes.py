"""CAMEO-style actor codes split into the contract's country and sector slots."""

from __future__ import annotations

from functools import lru_cache

from dateline import ontology

# PLOVER sectors (dateline.ontology.sectors) that are real sectors, not country-slot codes.
_INTERNATIONAL_SLOTS = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}

# CAMEO type codes whose PLOVER sector differs (PLOVER moved MED from media to health).
_CAMEO_TO_PLOVER = {
    "MED": "JRN", "HLH": "MED", "INS": "REB", "SEP": "REB", "RAD": None, "MOD": None,
    "NGM": "SOC", "SET": "CVL", "HRI": None, "ENV": None, "DEV": None, "PKO": "MIL",
    "UIS": "UNK", "INT": None, "PPL": "CVL",
}
# Religion codes (CAMEO.religion) used in an agent slot mean religious actors.
_RELIGIONS = {"BUD", "CHR", "CTH", "PRO", "ORT", "MOS", "SUN", "SHI", "JEW", "HIN", "SIK",
              "JAN", "CON", "TAO", "SHN", "ZRO", "BAH", "ATH", "ADR", "ALE", "DRZ", "ITH",
              "MRM", "RAS", "SFI", "UDQ", "NRM", "CHRCTH", "MUS"}
# Sectors that refine GOV when they follow it (USAGOVLEG is the legislature); a defence
# minister (USAGOVMIL) stays a civilian member of the government.
_REFINES_GOV = {"LEG", "JUD"}
# Country-slot aliases for well-known IGO second blocks.
_IGO_SLOT = {"UNO": "UNO", "EEC": "EUR", "EUR": "EUR"}


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    from dateline.ontology import _rows  # the CAMEO country table ships with the ontology

    return frozenset(r["CODE"] for r in _rows("CAMEO.country.txt"))


@lru_cache(maxsize=1)
def _sectors() -> frozenset[str]:
    return frozenset(c for c in ontology.sectors() if c not in _INTERNATIONAL_SLOTS)


def _blocks(code: str) -> list[str]:
    return [code[i:i + 3] for i in range(0, len(code) - len(code) % 3, 3)]


def sector_of(block: str, religion: bool = False) -> str | None:
    """The PLOVER sector of one CAMEO 3-letter type block, or None."""
    if block in _CAMEO_TO_PLOVER:
        return _CAMEO_TO_PLOVER[block]
    if block in _sectors():
        return block
    if religion and block in _RELIGIONS:
        return "REL"
    return None


def sector_from_blocks(blocks: list[str], religion: bool = False) -> str | None:
    """First sector among blocks, refined (GOV+LEG -> LEG) and with OPP kept only alone."""
    found = [s for s in (sector_of(b, religion) for b in blocks) if s]
    if not found:
        return None
    first = found[0]
    if first == "GOV":
        for s in found[1:]:
            if s in _REFINES_GOV:
                return s
    if first == "OPP" and len(found) > 1:
        return found[1]
    return first


@lru_cache(maxsize=4096)
def split_code(code: str) -> tuple[str | None, str | None]:
    """CAMEO actor code -> (country slot, PLOVER sector): USAGOVLEG -> (USA, LEG), ~COP -> (None, COP)."""
    code = (code or "").strip().upper()
    if not code or code.startswith("---"):
        return None, None
    if code.startswith("~"):
        # agent codes: a religion in the first slot means a religious actor
        return None, sector_from_blocks(_blocks(code[1:]), religion=True)
    blocks = _blocks(code)
    if not blocks:
        return None, None
    head, rest = blocks[0], blocks[1:]
    if head in ("IGO", "INT"):
        slot = _IGO_SLOT.get(rest[0]) if rest else None
        return (slot or "IGO"), sector_from_blocks(rest[1:] if slot else rest)
    if head in _INTERNATIONAL_SLOTS:
        sector = sector_from_blocks(rest)
        if head == "MNC":
            sector = sector or "BUS"
        if head == "IMG":
            sector = sector or "REB"
        return head, sector
    if head in _countries():
        return head, sector_from_blocks(rest)
    if sector_of(head):  # a bare sector code such as "ELI" or "GOV"
        return None, sector_from_blocks(blocks)
    return head, sector_from_blocks(rest)

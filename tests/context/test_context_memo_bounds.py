"""The memos the context stage keeps across stories (a name's gazetteer candidates, a
capitalised run's names, a name's resolution) stop growing at their bound, so a long run of
new stories holds no more than a short one; answers are the same kept or not."""

from __future__ import annotations

from dateline.context import locator, places


def test_the_gazetteer_keeps_at_most_its_bound_of_names(monkeypatch):
    gaz = places.gazetteer()
    monkeypatch.setattr(gaz, "_seen", {})
    monkeypatch.setattr(places, "SEEN_NAMES", 3)
    names = ["Paris", "Mexico City", "Kabul", "Lagos", "Lima", "Oslo"]
    first = [gaz.candidates(n) for n in names]
    assert list(gaz._seen) == names[:3]  # the first met are kept
    assert [gaz.candidates(n) for n in names] == first  # kept or not, the same answers
    assert first[0] and first[3]


def test_capitalised_runs_are_kept_up_to_their_bound(monkeypatch):
    monkeypatch.setattr(places, "_RUN_NAMES", {})
    monkeypatch.setattr(places, "RUN_NAMES", 2)
    runs = ["Mexico City", "New York", "Buenos Aires", "Cape Town"]
    first = [places._run_names(r) for r in runs]
    assert list(places._RUN_NAMES) == runs[:2]
    assert [places._run_names(r) for r in runs] == first
    assert all(first)


def test_resolved_names_are_kept_up_to_their_bound(monkeypatch):
    monkeypatch.setattr(locator, "_RESOLVED", {})
    monkeypatch.setattr(locator, "RESOLVED_NAMES", 2)
    names = ["Kabul", "Lagos", "Quito", "Hanoi"]
    first = [locator._resolve_name(n) for n in names]
    assert list(locator._RESOLVED) == names[:2]
    assert [locator._resolve_name(n) for n in names] == first

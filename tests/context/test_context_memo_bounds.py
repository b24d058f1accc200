"""The memos the context stage keeps across stories (a name's gazetteer candidates, a
capitalised run's names, a name's resolution) stop growing at their bound, so a long run of
new stories holds no more than a short one; answers are the same kept or not."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("module, memo, bound, lookup, keys", [
    (places, "_RUN_NAMES", "RUN_NAMES", places._run_names,
     ["Mexico City", "New York", "Buenos Aires", "Cape Town"]),
    (locator, "_RESOLVED", "RESOLVED_NAMES", locator._resolve_name,
     ["Kabul", "Lagos", "Quito", "Hanoi"]),
])
def test_module_memos_keep_the_first_names_up_to_their_bound(monkeypatch, module, memo, bound,
                                                            lookup, keys):
    monkeypatch.setattr(module, memo, {})
    monkeypatch.setattr(module, bound, 2)
    first = [lookup(k) for k in keys]
    assert list(getattr(module, memo)) == keys[:2]
    assert [lookup(k) for k in keys] == first
    assert any(first)

"""Test helper for the actor tests (a module of its own: `from conftest import ...` would
find whichever tests folder's conftest was imported first)."""

from __future__ import annotations

from dateline.actors import ActorMention


def by_text(mentions: list[ActorMention], text: str) -> ActorMention:
    """The first mention whose surface text is `text` (fails with the list when absent)."""
    for m in mentions:
        if m.text == text:
            return m
    raise AssertionError(f"no mention {text!r} in {[m.text for m in mentions]}")

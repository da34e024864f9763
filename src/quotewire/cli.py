"""The quotewire command: one sub-command per job."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TextIO

from quotewire.model import QUOTE_TYPES, Article, ReadError, Result
from quotewire.progress import report_progress

EXAMPLE = "assad-bbc-2015.txt"


def _example_path() -> str:
    return str(resources.files("quotewire") / "data" / EXAMPLE)


def _results(args: argparse.Namespace) -> Iterator[Result]:
    """Read, extract, and turn read failures into error results, in input order."""
    from quotewire.extract.pipeline import extract_in_parallel
    from quotewire.read import read_inputs

    items = read_inputs(args.files)
    for item in extract_in_parallel(
        items, args.workers, use_model=not args.rules_only, direct_only=args.direct_only
    ):
        if isinstance(item, ReadError):
            item = Result(id=item.id, error=f"{item.source}: {item.error}")
        if args.min_confidence > 0:
            keep_confident(item, args.min_confidence)
        yield item


def keep_confident(result: Result, min_confidence: float) -> None:
    """Drop quotes under the threshold, keeping `repeat_of` pointing at the right quote."""
    kept = [i for i, q in enumerate(result.quotes) if q.confidence >= min_confidence]
    new_index = {old: new for new, old in enumerate(kept)}
    quotes = []
    for old in kept:
        quote = result.quotes[old]
        quote.repeat_of = new_index.get(quote.repeat_of) if quote.repeat_of is not None else None
        quotes.append(quote)
    result.quotes = quotes


def _write(results: Iterator[Result], fmt: str, out: TextIO, colour: bool) -> int:
    from quotewire.render import render_result

    failures = 0
    collected = []
    for result in results:
        if result.error:
            failures += 1
            print(f"quotewire: {result.error}", file=sys.stderr)
        if fmt == "jsonl":
            out.write(result.to_json() + "\n")
        elif fmt == "json":
            collected.append(result.to_dict())
        else:
            out.write(render_result(result, colour=colour) + "\n\n")
        out.flush()
    if fmt == "json":
        json.dump(collected, out, ensure_ascii=False, indent=1)
        out.write("\n")
    return failures


def _input_overwritten(output: str, files: list[str]) -> str | None:
    """The input that writing `output` would destroy: the same file, or a file an input
    directory would read (it would be read back half-written)."""
    from quotewire.read import ARTICLE_EXTENSIONS

    target = Path(output).resolve()
    for name in files:
        given = Path(name).resolve()
        if given == target:
            return name
        if given.is_dir() and given in target.parents and target.name.endswith(ARTICLE_EXTENSIONS):
            return name
    return None


def cmd_extract(args: argparse.Namespace) -> int:
    if args.output and (clobbered := _input_overwritten(args.output, args.files)):
        raise SystemExit(
            f"quotewire extract: -o {args.output} would overwrite the input {clobbered}"
        )
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    colour = args.colour == "always" or (args.colour == "auto" and out.isatty())
    try:
        failures = _write(_results(args), args.format, out, colour)
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if failures and args.strict else 0


def cmd_demo(args: argparse.Namespace) -> int:
    args.files = [_example_path()]
    args.output = None
    args.workers = 1
    args.strict = True
    return cmd_extract(args)


def cmd_eval(args: argparse.Namespace) -> int:
    from quotewire import evaluate
    from quotewire.extract.pipeline import Extractor

    gold = evaluate.load_jsonl(args.gold)
    if args.limit:
        gold = gold[: args.limit]
    types = tuple(t.strip() for t in args.types.split(",") if t.strip())
    unknown = [t for t in types if t not in QUOTE_TYPES]
    if unknown:
        print(f"quotewire eval: unknown type(s) {unknown}; use {QUOTE_TYPES}", file=sys.stderr)
        return 2
    if args.pred:
        pred = evaluate.by_id(evaluate.load_jsonl(args.pred))
    else:
        extractor = Extractor(use_model=not args.rules_only, direct_only=args.direct_only)
        pred = {}
        for done, article in enumerate(gold, 1):
            result = extractor.extract(Article(id=article["id"], text=article["text"]))
            if result.error:
                print(f"quotewire eval: {article['id']}: {result.error}", file=sys.stderr)
            pred[article["id"]] = result.to_dict()
            report_progress(done, len(gold), "extracting")
        if args.save:
            with open(args.save, "w", encoding="utf-8") as fh:
                for result in pred.values():
                    fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    metrics = evaluate.score(gold, pred, types, args.speaker_by)
    cuts = [float(t) for t in args.thresholds.split(",") if t.strip()] if args.thresholds else []
    rows = evaluate.precision_recall_at(gold, pred, cuts, types, args.speaker_by)
    kinds = evaluate.error_kinds(gold, pred, types, args.speaker_by)
    if args.json:
        print(json.dumps(metrics | {"by_confidence": rows, "errors_by_kind": kinds}, indent=1))
    else:
        print(f"{args.gold}  types={','.join(types)}  speaker-by={args.speaker_by}")
        print(evaluate.format_table(metrics))
        _print_error_kinds(kinds)
    if rows and not args.json:
        print("\nmin confidence   quote_P  quote_R  quote_F1  attribution_acc")
        for row in rows:
            print(
                f"{row['threshold']:>14.2f}   {row['quote_P']:.3f}    {row['quote_R']:.3f}    "
                f"{row['quote_F1']:.3f}     {row['attribution_acc']:.3f}"
            )
    if args.errors:
        for article in gold:
            report = evaluate.article_errors(
                article, pred.get(article["id"]), types, args.speaker_by
            )
            if any(report[k] for k in ("missed", "false_hits", "wrong_speaker")):
                print(f"\n== {article['id']}")
                for item in report["missed"]:
                    near = _NEAR_TAGS.get(item["near"], "")
                    print(f"  MISSED{near}  [{item['gold_speaker']}] {item['text']!r}")
                for item in report["false_hits"]:
                    near = _NEAR_TAGS.get(item["near"], "")
                    print(f"  FALSE{near}   [{item['pred_speaker']}] {item['text']!r}")
                for item in report["wrong_speaker"]:
                    print(
                        f"  SPEAKER gold={item['gold_speaker']!r} "
                        f"pred={item['pred_speaker']!r}/{item['pred_mention']!r} {item['text']!r}"
                    )
    return 0


# How near a miss or a false hit came (evaluate.article_errors' "near"), as --errors tags it.
_NEAR_TAGS = {"boundary": " (span)", "duplicate": " (again)"}
# evaluate.error_kinds' keys, in the order and words of the errors table.
_ERROR_KIND_LABELS = {
    "missed_boundary": "missed, span overlaps a false hit (span)",
    "missed_none": "missed, nothing found there",
    "false_boundary": "false hit, overlaps a missed quote (span)",
    "false_duplicate": "false hit, overlaps only found quotes",
    "false_none": "false hit, no quote there",
    "wrong_speaker": "found, wrong or no speaker",
}


def _print_error_kinds(kinds: dict[str, int]) -> None:
    """Where the errors lie: a wrong span (the quote was found, its boundaries missed IoU 0.5),
    a quote found twice, a quote not found at all, one invented, a wrong speaker."""
    print(f"\n{'errors':<45} count")
    for key, label in _ERROR_KIND_LABELS.items():
        print(f"  {label:<43} {kinds[key]:>5}")


def cmd_train(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quotewire.train import DEFAULT_OUTPUT, train

    gold = Path(args.gold)
    if not gold.is_file():
        print(f"quotewire train: {gold}: no such file", file=sys.stderr)
        return 2
    train(gold, Path(args.output) if args.output else DEFAULT_OUTPUT)
    return 0


def _engine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rules-only",
        action="store_true",
        help="judge reported speech by rules alone, without the trained attribution model "
        "(the baseline the model is measured against)",
    )
    p.add_argument(
        "--direct-only",
        action="store_true",
        help="find only quotations in quotation marks (direct and mixed), parsing only the "
        "paragraphs that hold one: about twice as fast, no indirect speech",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quotewire",
        description="Who said what, in the news: find every quotation in news articles and "
        "attribute it to the person or organisation who said it.",
    )
    from quotewire.corpus.commands import add_corpus_commands, worker_count

    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--format",
            choices=["table", "json", "jsonl"],
            default="table",
            help="table: readable view, one row per quote (default); json: a list of article "
            "objects; jsonl: one article object per line (fields as in the README's JSON example)",
        )
        p.add_argument(
            "--min-confidence",
            type=float,
            default=0.0,
            metavar="X",
            help="leave out quotes whose confidence is below X (0-1; default 0: keep all)",
        )
        p.add_argument(
            "--colour",
            "--color",
            choices=["auto", "always", "never"],
            default="auto",
            help="colour the table view (default: auto, when writing to a terminal)",
        )
        _engine_options(p)

    ext = sub.add_parser(
        "extract",
        help="extract quotes from articles",
        description="Extract the quotations of each article and say who said them. Inputs: "
        ".txt files, .html/.htm pages (the article body is extracted; the JSON then carries "
        "the extracted 'text' the offsets refer to), .jsonl or .jsonl.gz dumps (one article a "
        "line with 'id' and 'text'; other fields are carried through), .warc or .warc.gz "
        "crawls (each HTML response, with its URL and date), directories of these, and '-' "
        "for standard input. A bad article fails alone, with its reason on stderr and "
        "in its 'error' field; the batch goes on.",
    )
    ext.add_argument("files", nargs="+", metavar="FILE", help="input files, directories or -")
    output_options(ext)
    ext.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    ext.add_argument(
        "--workers",
        type=worker_count,
        default=1,
        metavar="N",
        help="extract in N processes (each loads the models once; output keeps input order; "
        "default 1)",
    )
    ext.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when any article failed (default: 0, failures reported)",
    )
    ext.set_defaults(func=cmd_extract)

    demo = sub.add_parser(
        "demo",
        help="run extraction on the bundled example article",
        description=f"Extract the quotes of the bundled example ({EXAMPLE}, a Daily Express "
        "page about Bashar al-Assad as a scraper saved it) and print who said what.",
    )
    output_options(demo)
    demo.set_defaults(func=cmd_demo)

    ev = sub.add_parser(
        "eval",
        help="score the extractor against a gold JSONL file",
        description="Run the extractor over a gold file (PolNeAR format) and print the metrics "
        "of shared/tools/score.py: quote P/R/F1 (IoU >= 0.5), attribution accuracy and "
        "who-said-what P/R/F1, then the errors by kind: wrong spans (a quote found with "
        "boundaries too far off to match), quotes not found, quotes invented, wrong speakers.",
    )
    ev.add_argument("gold", metavar="GOLD.jsonl", help="gold articles with 'text' and 'quotes'")
    ev.add_argument(
        "--types",
        default=",".join(QUOTE_TYPES),
        metavar="T,T,...",
        help="comma-separated quote types to score, of direct, indirect and mixed "
        "(default: all three)",
    )
    ev.add_argument(
        "--speaker-by",
        choices=["name", "mention", "either"],
        default="name",
        help="judge speakers by canonical name, by the local mention's span overlapping the "
        "gold speaker span (use for PolNeAR), or either (default: name)",
    )
    ev.add_argument(
        "--errors",
        action="store_true",
        help="list each article's misses and false hits; '(span)' marks one whose span overlaps "
        "an unmatched quote on the other side (found, but its boundaries were wrong), '(again)' "
        "a false hit over a quote already found",
    )
    ev.add_argument(
        "--thresholds",
        metavar="T,T,...",
        default="0.5,0.6,0.7,0.8,0.9",
        help="print precision and recall when only quotes of at least these confidences are "
        "kept (default: 0.5,0.6,0.7,0.8,0.9; '' for none)",
    )
    ev.add_argument("--pred", metavar="PRED.jsonl", help="score these predictions, not a run")
    ev.add_argument("--save", metavar="PATH", help="write the run's predictions as JSONL")
    ev.add_argument(
        "--limit",
        type=int,
        default=0,
        metavar="N",
        help="only the first N gold articles (default 0: all)",
    )
    ev.add_argument("--json", action="store_true", help="print the metrics as JSON")
    _engine_options(ev)
    ev.set_defaults(func=cmd_eval)

    tr = sub.add_parser(
        "train",
        help="build the attribution model from PolNeAR's train split",
        description="Train the attribution model (a logistic regression that judges candidate "
        "reported clauses; its probability is a quote's confidence) on a gold JSONL file and "
        "store it in the package, where extract loads it. Parses every article (about 3.5 "
        "minutes for PolNeAR train on 2 cores); the seed is fixed, so the same data gives the "
        "same model.",
    )
    tr.add_argument(
        "gold",
        nargs="?",
        default="../shared/data/polnear/train.jsonl",
        metavar="TRAIN.jsonl",
        help="gold articles (default: ../shared/data/polnear/train.jsonl)",
    )
    tr.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="where to write the model (default: inside the installed package)",
    )
    tr.set_defaults(func=cmd_train)

    add_corpus_commands(sub, _engine_options)
    from quotewire.spark.command import add_spark_command

    add_spark_command(sub, _engine_options)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # an output or database path that cannot be written
        print(f"quotewire {args.command}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        # A corpus that is not a database, or a server that does not answer.
        if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
            raise
        where = f" ({args.db})" if getattr(args, "db", None) else ""
        print(f"quotewire {args.command}: database error{where}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""The corpus sub-commands of `quotewire`: ingest, search, people, export, errors."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from typing import Any, TextIO

from quotewire.corpus.store import DEFAULT_DB, is_postgres
from quotewire.model import QUOTE_TYPES

_DB_HELP = (
    "the corpus: a SQLite file (default: $QUOTEWIRE_DB or quotes.db) or a PostgreSQL URL "
    "(postgresql://user@host:port/dbname)"
)


def _open(args: argparse.Namespace, create: bool = False) -> Any:
    from quotewire.corpus import Corpus

    if not create and not is_postgres(args.db) and not os.path.exists(args.db):
        raise SystemExit(
            f"quotewire {args.command}: no corpus at {args.db}; run `quotewire ingest` first"
        )
    return Corpus(args.db)


def parse_fields(pairs: list[str], command: str = "ingest") -> dict[str, str]:
    """--field NAME=KEY pairs as {NAME: KEY}; a bad pair ends `quotewire COMMAND` with why."""
    from quotewire.read.jsonl import ARTICLE_FIELDS

    fields = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or ours not in ARTICLE_FIELDS or not theirs:
            raise SystemExit(
                f"quotewire {command}: --field {pair!r}: use NAME=KEY with NAME one of "
                f"{', '.join(ARTICLE_FIELDS)}"
            )
        fields[ours] = theirs
    return fields


def add_field_option(parser: argparse.ArgumentParser, source: str) -> None:
    """--field NAME=KEY (repeatable), which reads `source` KEY as the article's NAME."""
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=KEY",
        help=f"read {source} KEY as NAME (id, text, url, outlet, published or title), e.g. "
        "--field text=body --field published=date; repeat for several",
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    if bool(args.paths) == bool(args.from_parquet):
        raise SystemExit("quotewire ingest: give either PATH... or --from-parquet DIR")
    if args.from_parquet and not os.path.isdir(args.from_parquet):
        raise SystemExit(f"quotewire ingest: --from-parquet {args.from_parquet}: no such folder")
    with _open(args, create=True) as corpus:
        if args.from_parquet:
            from quotewire.corpus.load import NotSpark

            try:
                summary = corpus.load_parquet(args.from_parquet, progress=not args.quiet)
            except NotSpark as exc:
                raise SystemExit(f"quotewire ingest: --from-parquet: {exc}") from None
        else:
            summary = corpus.ingest(
                args.paths,
                workers=args.workers,
                fields=fields,
                use_model=not args.rules_only,
                progress=not args.quiet,
            )
        counts = corpus.counts()
    print(f"ingest: {summary.describe()}")
    print(
        f"corpus {args.db}: {counts['articles']} articles, {counts['quotes']} quotes, "
        f"{counts['people']} people, {counts['ingest_errors']} errors recorded"
    )
    return 1 if summary.failed and args.strict else 0


def _clip(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_json(rows: Any, out: TextIO | None = None) -> None:  # None: sys.stdout
    print(json.dumps(rows, ensure_ascii=False, indent=1, default=str), file=out)


MAX_WORKERS = 64


def worker_count(value: str) -> int:
    """A --workers value: each worker loads the models (about 200 MB), so 1 to 64."""
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 1 <= count <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"{count} is not between 1 and {MAX_WORKERS}")
    return count


def _day(value: str) -> str:
    """A --since/--until date, checked: a bad one would silently match nothing."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def cmd_search(args: argparse.Namespace) -> int:
    if args.type and args.type not in QUOTE_TYPES:
        raise SystemExit(f"quotewire search: --type must be one of {', '.join(QUOTE_TYPES)}")
    with _open(args) as corpus:
        rows = corpus.search(
            " ".join(args.words) or None,
            speaker=args.speaker,
            outlet=args.outlet,
            since=args.since,
            until=args.until,
            quote_type=args.type,
            min_confidence=args.min_confidence,
            limit=args.limit or None,
        )
    if args.format == "json":
        _print_json(rows)
        return 0
    for row in rows:
        when = (row["published"] or "")[:10] or "-"
        print(
            f"{when:<10}  {_clip(row['outlet'] or '-', 18):<18}  "
            f"{_clip(row['speaker'] or '(unattributed)', 22):<22}  {row['type']:<8}  "
            f"{_clip(row['quote'], 90)}"
        )
    print(f"{len(rows)} quote{'s' if len(rows) != 1 else ''}", file=sys.stderr)
    return 0


def cmd_people(args: argparse.Namespace) -> int:
    if args.action and args.action[0] == "show":
        return _show_person(args, " ".join(args.action[1:]))
    if args.action:
        raise SystemExit("quotewire people: use `quotewire people` or `quotewire people show NAME`")
    with _open(args) as corpus:
        rows = corpus.people(args.limit or None)
    if args.format == "json":
        _print_json(rows)
        return 0
    print(f"{'person':<30}  {'quotes':>6}  {'articles':>8}  {'outlets':>7}  top outlets")
    for row in rows:
        print(
            f"{_clip(row['name'], 30):<30}  {row['quotes']:>6}  {row['articles']:>8}  "
            f"{row['outlets']:>7}  {', '.join(row['top_outlets'])}"
        )
    return 0


def _show_person(args: argparse.Namespace, name: str) -> int:
    if not name.strip():
        raise SystemExit("quotewire people show: give a NAME")
    with _open(args) as corpus:
        found = corpus.find_people(name)
    if args.format == "json":
        _print_json(found)
        return 0 if found else 1
    if not found:
        print(f"no person in the corpus is called {name!r}", file=sys.stderr)
        return 1
    for person in found:
        print(f"{person['name']}  ({person['kind']}, id {person['id']}, {person['quotes']} quotes)")
        if person["aliases"]:
            print(f"  aliases: {'; '.join(person['aliases'])}")
        for entry in person["names"]:
            count = len(entry["articles"])
            print(
                f"  - {entry['name']!r} in {count} article{'s' if count != 1 else ''} "
                f"({entry['quotes']} quotes): {entry['evidence'] or 'no evidence recorded'}"
            )
        print()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "parquet" and not args.output:
        raise SystemExit("quotewire export: --format parquet needs -o PATH (it is binary)")
    with _open(args) as corpus:
        count = corpus.export(args.output or sys.stdout, args.format)
    print(f"export: {count} quotes", file=sys.stderr)
    return 0


_RED, _GREEN, _STRIKE, _DIM, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[9m", "\x1b[2m", "\x1b[0m"


def render_diff(diff: list[tuple[str, str]], colour: bool) -> str:
    """A word diff against the canonical wording: left-out words struck through in red (or
    [-so-]), added words in green (or {+so+}), changed words as both."""

    def gone(words: str) -> str:
        return f"{_RED}{_STRIKE}{words}{_RESET}" if colour else f"[-{words}-]"

    def added(words: str) -> str:
        return f"{_GREEN}{words}{_RESET}" if colour else f"{{+{words}+}}"

    parts = []
    for op, words in diff:
        if op == "=":
            parts.append(words)
        elif op == "-":
            parts.append(gone(words))
        elif op == "+":
            parts.append(added(words))
        else:
            old, _, new = words.partition(" -> ")
            parts.append(gone(old) + added(new))
    return " ".join(parts)


def _statement_line(row: dict[str, Any]) -> str:
    when = (row.get("first_published") or "")[:10] or "-"
    flags = ",".join(f.split(":")[0] for f in row["flags"]) or "-"
    return (
        f"{row['id']:>6}  {row['occurrences']:>4}  {row['outlets']:>7}  {when:<10}  "
        f"{_clip(row['speaker'] or '(unattributed)', 20):<20}  {_clip(flags, 24):<24}  "
        f"{_clip(row['canonical'], 70)}"
    )


def cmd_statements(args: argparse.Namespace) -> int:
    # The views show the first 20 unless told; an export (jsonl) is everything unless told.
    limit = args.limit if args.limit is not None else (0 if args.format == "jsonl" else 20)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        with _open(args) as corpus:
            rows = corpus.statements(
                speaker=args.speaker,
                flag=args.flag,
                min_occurrences=args.min_occurrences,
                limit=limit or None,
            )
            if args.format == "jsonl":
                for row in rows:
                    full = corpus.statement(row["id"])
                    out.write(json.dumps(full, ensure_ascii=False, default=str) + "\n")
                print(f"export: {len(rows)} statements", file=sys.stderr)
                return 0
        if args.format == "json":
            _print_json(rows, out)
            return 0
        print(
            f"{'id':>6}  {'seen':>4}  {'outlets':>7}  {'first':<10}  {'speaker':<20}  "
            f"{'flags':<24}  words",
            file=out,
        )
        for row in rows:
            print(_statement_line(row), file=out)
        return 0
    finally:
        if out is not sys.stdout:
            out.close()


def cmd_statement(args: argparse.Namespace) -> int:
    with _open(args) as corpus:
        record = corpus.statement(args.id)
    if record is None:
        print(f"no statement {args.id}", file=sys.stderr)
        return 1
    if args.format == "json":
        _print_json(record)
        return 0
    colour = args.colour == "always" or (args.colour == "auto" and sys.stdout.isatty())
    first = record["first_seen"]
    outlets = {o["outlet"] for o in record["occurrences"] if o["outlet"]}
    print(f"statement {record['id']}: {record['speaker'] or '(unattributed)'}")
    print(
        f"  {len(record['occurrences'])} occurrences in {len(outlets)} outlets; first seen "
        f"{(first['published'] or 'undated')[:10]} in {first['outlet'] or first['article']}"
        + (f" ({first['url']})" if first["url"] else "")
    )
    if record["flags"]:
        print(f"  flags: {', '.join(record['flags'])}")
    print(f"  canonical: {record['canonical']}\n")
    for occurrence in record["occurrences"]:
        when = (occurrence["published"] or "")[:10] or "undated"
        where = occurrence["outlet"] or occurrence["article"]
        flags = f"  [{'; '.join(occurrence['flags'])}]" if occurrence["flags"] else ""
        print(f"  {when}  {where}  {occurrence['relation']}{flags}")
        if occurrence["relation"] == "paraphrase" or not occurrence["diff"]:
            text = occurrence["said"]
            print(f"    {_DIM if colour else ''}{text}{_RESET if colour else ''}")
        else:
            print(f"    {render_diff(occurrence['diff'], colour)}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from quotewire.web.app import Settings, create_app

    db = args.db if (is_postgres(args.db) or os.path.exists(args.db)) else None
    if db is None:
        print(
            f"quotewire serve: no corpus at {args.db}; serving the extract page only",
            file=sys.stderr,
        )
    settings = Settings(
        db=db, allow_ingest=args.allow_ingest, max_bytes=args.max_bytes, timeout=args.timeout
    )
    uvicorn.run(create_app(settings), host=args.host, port=args.port)
    return 0


def cmd_errors(args: argparse.Namespace) -> int:
    with _open(args) as corpus:
        rows = corpus.errors()
    if args.format == "json":
        _print_json(rows)
        return 0
    for row in rows:
        where = f"{row['file']} ({row['position']})" if row["position"] else row["file"]
        print(f"{where}: {row['reason']}")
    print(f"{len(rows)} error{'s' if len(rows) != 1 else ''}", file=sys.stderr)
    return 0


def add_corpus_commands(sub: Any, engine_options: Any) -> None:
    """Add the corpus sub-commands to the `quotewire` parser."""

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db", default=os.environ.get("QUOTEWIRE_DB", DEFAULT_DB), metavar="URL", help=_DB_HELP
        )

    def view_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--format", choices=["table", "json"], default="table", help="output (default: table)"
        )

    ing = sub.add_parser(
        "ingest",
        help="extract quotes from articles into a corpus database",
        description="Read articles, extract their quotes and store them in the corpus: "
        "directories of .txt/.html files, .jsonl(.gz) dumps (fields id, text, url, outlet, "
        "published, title; rename them with --field) and .warc(.gz) crawls (each HTML response "
        "through trafilatura; URL, site and date from the record). An article already stored "
        "(same text or URL) is skipped, so running the same input again adds nothing, and a run "
        "that was killed completes when run again. Unreadable records are stored in the errors "
        "table with file and position, and the run goes on. People are grouped across articles "
        "at the end. With --from-parquet, loads the tables `quotewire spark` wrote instead.",
    )
    ing.add_argument(
        "paths", nargs="*", metavar="PATH", help="files, directories or - (standard input)"
    )
    ing.add_argument(
        "--from-parquet",
        metavar="DIR",
        help="load the Parquet tables of `quotewire spark --out DIR` (articles, speakers, "
        "quotes, people, statements, errors) instead of reading PATHs: into an empty database "
        "as they are, into one with articles already, skipping those it holds and regrouping "
        "people and statements",
    )
    db_option(ing)
    ing.add_argument(
        "--workers",
        type=worker_count,
        default=os.cpu_count() or 1,
        metavar="N",
        help=f"extraction processes, each loading the models once (default: the number of "
        f"cores, {os.cpu_count() or 1})",
    )
    add_field_option(ing, "JSONL field")
    ing.add_argument("--quiet", action="store_true", help="no progress line on stderr")
    ing.add_argument(
        "--strict", action="store_true", help="exit with status 1 when any input failed"
    )
    engine_options(ing)
    ing.set_defaults(func=cmd_ingest)

    se = sub.add_parser(
        "search",
        help="find quotes in the corpus",
        description="Find quotes by their words (full-text, stemmed: every word must occur), "
        "by speaker (any alias of a person: 'Assad' finds Bashar al-Assad), outlet, date and "
        "type. Newest first.",
    )
    se.add_argument("words", nargs="*", metavar="WORDS", help="words the quote contains")
    se.add_argument("--speaker", metavar="NAME", help="a person's name or any alias")
    se.add_argument("--outlet", metavar="SITE", help="an outlet, e.g. bbc.co.uk")
    se.add_argument(
        "--since", type=_day, metavar="YYYY-MM-DD", help="published on or after this date"
    )
    se.add_argument(
        "--until", type=_day, metavar="YYYY-MM-DD", help="published on or before this date"
    )
    se.add_argument("--type", choices=QUOTE_TYPES, help="direct, indirect or mixed")
    se.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        metavar="X",
        help="confidence at least X (0-1; default 0: all)",
    )
    se.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N quotes (0: all; default 20)"
    )
    view_option(se)
    db_option(se)
    se.set_defaults(func=cmd_search)

    pe = sub.add_parser(
        "people",
        help="the most quoted people, or one person's names and evidence",
        description="`quotewire people` ranks people by quotes, with their articles and "
        "outlets. `quotewire people show NAME` lists everyone NAME may mean, each with the "
        "names used for them across the corpus and the evidence that joined each name.",
    )
    pe.add_argument("action", nargs="*", metavar="show NAME", help="show one person")
    pe.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N people (0: all; default 20)"
    )
    view_option(pe)
    db_option(pe)
    pe.set_defaults(func=cmd_people)

    ex = sub.add_parser(
        "export",
        help="write every quote with its speaker and article",
        description="Export every quote joined with its speaker (the person across the "
        "corpus, and the name in the article) and its article's metadata.",
    )
    ex.add_argument(
        "--format", choices=["jsonl", "csv", "parquet"], default="jsonl", help="default jsonl"
    )
    ex.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH (default: stdout; parquet, being binary, needs a PATH)",
    )
    db_option(ex)
    ex.set_defaults(func=cmd_export)

    st = sub.add_parser(
        "statements",
        help="quotes of one person grouped across outlets, with their variants",
        description="Statements: the quotes of one person, across articles and outlets, that "
        "report the same words (exact and near copies, truncations, parts of a longer quote), "
        "with the fullest version as the canonical wording and indirect reports that "
        "paraphrase it. Flags: changed-words (words changed beyond punctuation, contractions, "
        "articles and marked elisions: a possible misquote), negation-dropped/added (a cut or "
        "change that flips the meaning), other-speakers (the same words given to someone "
        "else), paraphrase-claims-more (an indirect report adds to the words). Ids stay "
        "stable as articles are ingested. --format jsonl exports every matching statement "
        "with its occurrences.",
    )
    st.add_argument("--speaker", metavar="NAME", help="a person's name or any alias")
    st.add_argument(
        "--flag",
        choices=[
            "changed-words",
            "negation-dropped",
            "negation-added",
            "other-speakers",
            "paraphrase-claims-more",
        ],
        help="only statements with this flag",
    )
    st.add_argument(
        "--min-occurrences",
        type=int,
        default=1,
        metavar="N",
        help="reported at least N times (default 1)",
    )
    st.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="at most N statements (0: all; default: 20 in the table and json views, all with "
        "--format jsonl)",
    )
    st.add_argument(
        "--format",
        choices=["table", "json", "jsonl"],
        default="table",
        help="table (default), json, or jsonl: the full statements, for export",
    )
    st.add_argument("-o", "--output", metavar="PATH", help="write to PATH (default: stdout)")
    db_option(st)
    st.set_defaults(func=cmd_statements)

    one = sub.add_parser(
        "statement",
        help="one statement: every occurrence with its word diff",
        description="Show one statement: its speaker, where and when it was first seen, and "
        "every occurrence with its word-level diff against the canonical wording (left-out "
        "words struck through in red, added words in green; [-so-] and {+so+} without colour).",
    )
    one.add_argument("id", type=int, metavar="ID", help="the statement id")
    one.add_argument(
        "--format", choices=["table", "json"], default="table", help="output (default: table)"
    )
    one.add_argument(
        "--colour",
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the diffs (default: auto, when writing to a terminal)",
    )
    db_option(one)
    one.set_defaults(func=cmd_statement)

    sv = sub.add_parser(
        "serve",
        help="the web app and JSON API",
        description="Serve the web app: paste or upload an article and see who said what; "
        "search the corpus, browse people and statements. The JSON API (POST /api/extract; GET "
        "/api/quotes, /api/people, /api/people/{id}, /api/statements/{id}; POST /api/ingest "
        "with --allow-ingest) is listed at /api and described at /openapi.json. The corpus is "
        "read-only unless --allow-ingest.",
    )
    db_option(sv)
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    sv.add_argument(
        "--allow-ingest",
        action="store_true",
        help="open the corpus for writing and enable POST /api/ingest (off by default)",
    )
    sv.add_argument(
        "--max-bytes",
        type=int,
        default=2_000_000,
        metavar="N",
        help="refuse requests larger than N bytes with 413 (default 2,000,000)",
    )
    sv.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="stop an extraction after S seconds with 504 (default 30)",
    )
    sv.set_defaults(func=cmd_serve)

    er = sub.add_parser(
        "errors",
        help="list the inputs ingest could not read",
        description="The ingest errors table: file, position (line or byte) and reason.",
    )
    view_option(er)
    db_option(er)
    er.set_defaults(func=cmd_errors)

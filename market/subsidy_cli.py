"""`market subsidy simulate`: evaluate a subsidy scheme on a ledger file; no app, database or configuration."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import sys
from typing import NoReturn

import click

from market.domain.subsidy import (
    SubsidyInputError,
    decode_utf8,
    evaluate,
    parse_json,
    parse_ledger_header,
    parse_scheme,
    result_as_csv_rows,
    result_as_json,
    sale_lines,
)

STDIN = "-"


@click.group(name="subsidy")
def subsidy() -> None:
    """Subsidy schemes (补助方案): evaluate a scheme on a ledger, as county staff and auditors do."""


@subsidy.command("simulate")
@click.option("--scheme", "scheme_path", required=True, metavar="FILE",
              help="Scheme JSON file (docs/SUBSIDY.md, 'Scheme'); - reads standard input.")
@click.option("--ledger", "ledger_path", required=True, metavar="FILE",
              help="Ledger JSON of outlets, products and sales (docs/SUBSIDY.md, 'Ledger'); - reads standard input.")
@click.option("--format", "output_format", type=click.Choice(["json", "csv"]), default="json", show_default=True,
              help="json: the result document of docs/SUBSIDY.md; csv: a header and one row per outlet.")
def simulate(scheme_path: str, ledger_path: str, output_format: str) -> None:
    """Evaluate a subsidy scheme on a ledger and print the result on standard output.

    Both files are UTF-8 JSON in the formats of the subsidy spec (docs/SUBSIDY.md; docs/subsidy.md walks
    through them). Money is a string with at most two decimals ("128.00"), a date "2026-03-02".
    No database, configuration or network is used: the same files give the same result anywhere.

    \b
    A tiny scheme (10% of every outlet's eligible sales in 2026):
      {"code": "T-2026", "period": {"from": "2026-01-01", "to": "2026-12-31"},
       "tiers": [{"up_to": null, "rate": "0.10"}]}
    and ledger (one certified outlet and product, one online sale):
      {"outlets": [{"code": "O1", "certifications": [{"from": "2026-01-01"}]}],
       "products": [{"sku": "P1", "category": "apple", "certifications": [{"from": "2026-01-01"}]}],
       "sales": [{"id": "S1", "outlet": "O1", "sku": "P1", "channel": "online",
                  "date": "2026-03-02", "amount": "128.00"}]}
    give O1 a subsidy of "12.80":

    \b
      market subsidy simulate --scheme scheme.json --ledger ledger.json
      market subsidy simulate --scheme scheme.json --ledger - --format csv < ledger.json > result.csv

    \b
    Exit status:
      0  the result is on standard output
      2  bad input: one line on standard error names the file, the record
         (e.g. sales[17], id S17) and the field; nothing on standard output
      1  standard output was closed, or an internal error (one line on
         standard error; please report an internal error with the files)
    """
    if scheme_path == STDIN and ledger_path == STDIN:
        _fail("--scheme and --ledger cannot both read standard input (-); give one of them as a file")
    # Parsed JSON is a tree without reference cycles: the cyclic collector would only rescan millions of
    # live objects (a quarter of the load time of a large ledger) and free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        output = _simulate(scheme_path, ledger_path, output_format)
    finally:
        if collecting:
            gc.enable()
    try:
        click.echo(output, nl=False)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): say so once, without a traceback at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _fail("cannot write the result: standard output was closed", status=1)


def _simulate(scheme_path: str, ledger_path: str, output_format: str) -> bytes:
    """The rendered result, or exit 2 (bad input) or 1 (a bug) with one line on stderr."""
    try:
        scheme = parse_scheme(_load(scheme_path), _source(scheme_path))
        ledger_doc = _load(ledger_path)
        ledger = parse_ledger_header(ledger_doc, _source(ledger_path))
        result = evaluate(scheme, ledger, sale_lines(ledger_doc["sales"], ledger, _source(ledger_path)))
        del ledger_doc
        return _render(result_as_json(result) if output_format == "json" else result_as_csv_rows(result))
    except SubsidyInputError as exc:
        _fail(str(exc))
    except MemoryError:
        _fail("out of memory while reading or evaluating the files", status=1)
    except Exception as exc:  # the user gets one line, never a traceback
        _fail(f"internal error, please report it: {type(exc).__name__}: {exc}".splitlines()[0], status=1)


def _source(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def _load(path: str) -> object:
    """Read and parse one JSON file (or standard input), dropping each intermediate copy as soon as it can."""
    source = _source(path)
    try:
        if path == STDIN:
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as stream:
                raw = stream.read()
    except OSError as exc:
        raise SubsidyInputError(source, f"cannot read the file: {exc.strerror or exc}") from None
    text = decode_utf8(raw, source)
    del raw
    return parse_json(text, source)


def _render(document: dict | list[list[str]]) -> bytes:
    """UTF-8 bytes of the JSON document (Chinese kept as is) or of the CSV rows."""
    if isinstance(document, dict):
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(document)
    return buffer.getvalue().encode("utf-8")


def _fail(message: str, status: int = 2) -> NoReturn:
    click.echo(message, err=True)
    click.get_current_context().exit(status)


if __name__ == "__main__":  # `python -m market.subsidy_cli simulate ...`, e.g. for the benchmark
    subsidy()

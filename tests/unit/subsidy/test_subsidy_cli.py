"""`market subsidy simulate`: result on stdout only, exit 2 and one line on stderr for any bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from subsidy_builders import DATA, ledger, outlet, run, sale, scheme

from market import subsidy_cli
from market.domain.subsidy import CSV_COLUMNS
from market.subsidy_cli import subsidy

ROOT = Path(__file__).resolve().parents[3]
SPEC_SCHEME, SPEC_LEDGER = DATA / "spec_scheme.json", DATA / "spec_ledger.json"


def simulate(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(subsidy, ["simulate", *args], input=stdin)


def _write(tmp_path: Path, name: str, content: bytes | str | dict) -> str:
    path = tmp_path / name
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def _refused(result) -> str:
    """The one line on stderr of a refused run (and check nothing went to stdout)."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_prints_the_result_json_and_nothing_else():
    result = simulate("--scheme", str(SPEC_SCHEME), "--ledger", str(SPEC_LEDGER))
    assert result.exit_code == 0 and result.stderr == ""
    document = json.loads(result.stdout)
    assert document["scheme"] == "LX-XFBF-2026" and document["total"] == "0.00"
    (entry,) = document["outlets"]
    assert (entry["outlet"], entry["household_sales"], entry["base"], entry["below_threshold"]) == (
        "LX-O-001", "128.00", "153.60", True)


def test_the_output_is_utf8_with_chinese_kept_as_is(tmp_path):
    scheme_path = _write(tmp_path, "方案.json", scheme(code="陇县-2026"))
    ledger_path = _write(tmp_path, "台账.json", ledger([sale("S1", outlet="陇县馆")], [outlet("陇县馆")]))
    result = simulate("--scheme", scheme_path, "--ledger", ledger_path)
    assert result.exit_code == 0
    assert '"scheme": "陇县-2026"'.encode() in result.stdout_bytes
    assert '"outlet": "陇县馆"'.encode() in result.stdout_bytes
    assert b"\\u" not in result.stdout_bytes


def test_csv_prints_a_header_and_one_row_per_outlet(tmp_path):
    ledger_doc = ledger([sale("S1", outlet="B"), sale("S2", "5.00", outlet="A", channel="offline")],
                        [outlet("B"), outlet("A"), outlet("C")])
    ledger_path = _write(tmp_path, "ledger.json", ledger_doc)
    result = simulate("--scheme", _write(tmp_path, "scheme.json", scheme()), "--ledger", ledger_path,
                      "--format", "csv")
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == list(CSV_COLUMNS)
    assert [row[0] for row in rows[1:]] == ["A", "B", "C"]
    by_code = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_code["B"]["subsidy"] == "10.00" and by_code["B"]["capped"] == "false"
    assert by_code["A"]["excluded_unverified"] == "1" and by_code["A"]["qualifying_lines"] == "0"
    expected = run(scheme(), ledger_doc)["outlets"][1]
    assert by_code["B"]["base"] == expected["base"] and by_code["B"]["gross"] == expected["gross"]


@pytest.mark.parametrize("which", ["--scheme", "--ledger"])
def test_dash_reads_a_file_from_standard_input(which):
    files = {"--scheme": SPEC_SCHEME, "--ledger": SPEC_LEDGER}
    args = [arg for option, path in files.items() for arg in (option, "-" if option == which else str(path))]
    piped = simulate(*args, stdin=files[which].read_bytes())
    assert piped.exit_code == 0
    assert piped.stdout == simulate("--scheme", str(SPEC_SCHEME), "--ledger", str(SPEC_LEDGER)).stdout


def test_both_files_cannot_come_from_standard_input():
    line = _refused(simulate("--scheme", "-", "--ledger", "-", stdin=b"{}"))
    assert line == "--scheme and --ledger cannot both read standard input (-); give one of them as a file"


def test_a_bad_record_read_from_standard_input_is_named_stdin():
    bad = json.dumps(ledger([sale("S1", "12,5")])).encode()
    assert _refused(simulate("--scheme", str(SPEC_SCHEME), "--ledger", "-", stdin=bad)) == (
        '<stdin>: sales[0] (id S1): field amount: "12,5" is not a plain decimal with at most two places')


BAD_LEDGER_FILES = [
    (b"", "ledger.json: not valid JSON: Expecting value at line 1 column 1"),
    (b'{"outlets": [', "ledger.json: not valid JSON: Expecting value at line 1 column 14"),
    (b"\xff\xfe{}", "ledger.json: not UTF-8 text (invalid byte at offset 0)"),
    # GB18030 text: 陇 is C2 A4, which happens to be valid UTF-8; 县 is not.
    ('{"outlets": "陇县"}'.encode("gb18030"), "ledger.json: not UTF-8 text (invalid byte at offset 15)"),
    (b"[]", "ledger.json: a list is not a JSON object (a ledger)"),
    (b'{"outlets": [], "products": [], "sales": [{"id": "S1", "amount": NaN}]}',
     "ledger.json: not valid JSON: NaN is not a JSON value"),
    (json.dumps(ledger([sale("S1", 128.0)])).encode(),
     'ledger.json: sales[0] (id S1): field amount: 128.0 is a JSON number; money must be a JSON string like "128.00"'),
    (json.dumps(ledger([sale("S1", refunded="100.01")])).encode(),
     'ledger.json: sales[0] (id S1): field refunded: "100.01" is more than the amount "100.00"'),
    (json.dumps(ledger([sale("S1", sku="NOPE")])).encode(),
     'ledger.json: sales[0] (id S1): field sku: "NOPE" is not the sku of a product in the ledger'),
]


@pytest.mark.parametrize(("content", "message"), BAD_LEDGER_FILES)
def test_bad_ledger_content_exits_2_with_one_line(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "ledger.json", content)
    _write(tmp_path, "scheme.json", scheme())
    assert _refused(simulate("--scheme", "scheme.json", "--ledger", "ledger.json")) == message


def test_bad_scheme_content_exits_2_with_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "scheme.json", scheme(period={"from": "2026-12-31", "to": "2026-01-01"}))
    assert _refused(simulate("--scheme", "scheme.json", "--ledger", str(SPEC_LEDGER))) == (
        'scheme.json: period: field to: "2026-01-01" is before from "2026-12-31": the period is reversed')


def test_unreadable_files_exit_2_with_one_line(tmp_path):
    missing = str(tmp_path / "missing.json")
    assert _refused(simulate("--scheme", missing, "--ledger", str(SPEC_LEDGER))) == (
        f"{missing}: cannot read the file: No such file or directory")
    assert _refused(simulate("--scheme", str(SPEC_SCHEME), "--ledger", str(tmp_path))) == (
        f"{tmp_path}: cannot read the file: Is a directory")


def test_an_internal_error_is_one_line_and_exit_1(monkeypatch):
    def broken(*args: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(subsidy_cli, "evaluate", broken)
    result = simulate("--scheme", str(SPEC_SCHEME), "--ledger", str(SPEC_LEDGER))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "internal error, please report it: RuntimeError: boom\n"


def test_a_missing_option_is_a_usage_error():
    result = simulate("--scheme", str(SPEC_SCHEME))
    assert result.exit_code == 2 and result.stdout == ""
    assert "Missing option '--ledger'" in result.stderr


def test_help_shows_an_example_a_newcomer_can_follow():
    result = CliRunner().invoke(subsidy, ["simulate", "--help"])
    assert result.exit_code == 0
    for text in ("--scheme FILE", "--ledger FILE", "--format [json|csv]", "market subsidy simulate --scheme",
                 '"tiers": [{"up_to": null, "rate": "0.10"}]', "Exit status"):
        assert text in result.output


def test_the_help_example_gives_what_it_says(tmp_path):
    help_text = CliRunner().invoke(subsidy, ["simulate", "--help"]).output
    scheme_text = help_text[help_text.index('{"code"'):help_text.index("and ledger")]
    ledger_text = help_text[help_text.index('{"outlets"'):help_text.index("give O1")]
    result = simulate("--scheme", _write(tmp_path, "s.json", scheme_text), "--ledger",
                      _write(tmp_path, "l.json", ledger_text))
    assert json.loads(result.stdout)["outlets"][0]["subsidy"] == "12.80"


def test_runs_as_a_process_without_traceback(tmp_path):
    bad = _write(tmp_path, "ledger.json", b'{"outlets": [}')
    proc = subprocess.run([sys.executable, "-m", "market.subsidy_cli", "simulate", "--scheme", str(SPEC_SCHEME),
                           "--ledger", bad], capture_output=True, cwd=ROOT, check=False)
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode().splitlines() == [f"{bad}: not valid JSON: Expecting value at line 1 column 14"]


MARKET = shutil.which("market", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(MARKET is None, reason="the market entry point is not installed")
def test_market_subsidy_simulate_end_to_end_needs_no_configuration(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no MARKET_* settings at all
    ok = subprocess.run([MARKET, "subsidy", "simulate", "--scheme", str(SPEC_SCHEME), "--ledger", "-"],
                        input=SPEC_LEDGER.read_bytes(), capture_output=True, env=env, cwd=tmp_path, check=False)
    assert ok.returncode == 0 and ok.stderr == b""
    assert json.loads(ok.stdout)["scheme"] == "LX-XFBF-2026"
    bad = subprocess.run([MARKET, "subsidy", "simulate", "--scheme", str(SPEC_LEDGER), "--ledger", str(SPEC_LEDGER)],
                         capture_output=True, env=env, cwd=tmp_path, check=False)
    assert bad.returncode == 2 and bad.stdout == b""
    assert bad.stderr.decode().splitlines() == [f"{SPEC_LEDGER}: field code: missing"]


def test_the_garbage_collector_is_back_on_after_the_command():
    import gc

    assert gc.isenabled()
    simulate("--scheme", str(SPEC_SCHEME), "--ledger", "-", stdin=b"[]")
    simulate("--scheme", str(SPEC_SCHEME), "--ledger", str(SPEC_LEDGER))
    assert gc.isenabled()


def test_a_closed_standard_output_is_one_line_not_a_traceback():
    proc = subprocess.Popen([sys.executable, "-m", "market.subsidy_cli", "simulate", "--scheme", str(SPEC_SCHEME),
                             "--ledger", str(SPEC_LEDGER)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.close()  # the reader is gone before anything is written, like `| true`
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait() == 1
    assert stderr.decode().splitlines() == ["cannot write the result: standard output was closed"]

"""The command line's privacy guard, as a user meets it: warnings on add and edit, and report,
review export and export stopping with exit 2 (nothing written) unless --allow-identifiers."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from portfolio.cli import main
from tests.cli.test_cli import new_portfolio, ok
from tests.conftest import run_cli
from tests.reports.conftest import pdf_text


def _add(
    data: Path, title: str, text: str, tmp_path: Path, *more: str, day: str = "2026-02-03"
) -> tuple[str, str]:
    source = tmp_path / f"{title}.txt"
    source.write_text(text, encoding="utf-8")
    result = run_cli(
        data,
        *("add", "--kind", "reflection", "--title", title, "--date", day),
        *("--domain", "GPC2.2", "--text-file", str(source), *more),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip(), result.stderr


def test_identifiers_warn_on_add_and_edit_and_stop_what_leaves_the_laptop(tmp_path: Path) -> None:
    data = new_portfolio(tmp_path / "portfolio")
    uuid, warned = _add(
        data, "Night shift", "Her son Darren told me she was born in March 1941.", tmp_path
    )
    assert "Privacy check: 2 possible patient identifiers in what you saved" in warned
    assert '"Darren"' in warned and '"March 1941"' in warned

    clean = tmp_path / "clean.txt"
    clean.write_text("Her son told me about her wishes.", encoding="utf-8")
    edited = run_cli(data, "edit", uuid, "--text-file", str(clean))
    assert edited.returncode == 0 and "Privacy check" not in edited.stderr
    again = tmp_path / "again.txt"
    again.write_text("Mrs Zoë Smith, 93, in bed 12 on Kingfisher ward.", encoding="utf-8")
    edited = run_cli(data, "edit", uuid, "--text-file", str(again))
    assert edited.returncode == 0, edited.stderr
    assert "Privacy check: 3 possible patient identifiers in what you saved" in edited.stderr
    ok(data, "submit", uuid)

    outputs = {
        "report": ("report", "--out", str(tmp_path / "arcp.pdf")),
        "item report": ("report", "--item", uuid, "--out", str(tmp_path / "item.pdf")),
        "review export": ("review", "export", uuid, "--out", str(tmp_path / "pack.gpcreview")),
        "export": ("export", "--out", str(tmp_path / "all.gpcportfolio")),
    }
    for name, command in outputs.items():
        stopped = run_cli(data, *command)
        assert stopped.returncode == 2, (name, stopped.stderr)
        assert f"likely patient identifiers in 1 item: Night shift ({uuid})" in stopped.stderr
        assert "--allow-identifiers" in stopped.stderr
        assert not Path(command[-1]).exists(), name
    for name, command in outputs.items():
        allowed = run_cli(data, *command, "--allow-identifiers")
        assert allowed.returncode == 0, (name, allowed.stderr)
        assert "Privacy check: 3 possible patient identifiers" in allowed.stderr
        assert Path(command[-1]).stat().st_size > 0, name


def test_a_soft_warning_alone_does_not_stop_an_export(tmp_path: Path) -> None:
    data = new_portfolio(tmp_path / "portfolio")
    _, warned = _add(
        data, "Renal clinic", "I saw a man from Watchet with Fabry disease today.", tmp_path
    )
    assert "A rare condition and a small place together could identify someone" in warned
    result = run_cli(data, "export", "--out", str(tmp_path / "all.gpcportfolio"))
    assert result.returncode == 0, result.stderr
    assert "Privacy check: 1 possible patient identifier in what is being written" in result.stderr


def test_the_summary_checks_what_it_read_newest_first_then_each_private_item_named(
    tmp_path: Path,
) -> None:
    """The summary's privacy check runs on the items the summary read (they are not read a
    second time), and says what it said when it read them apart: the items in list order, then
    every private item named by --include-private, even one outside the period."""
    data = new_portfolio(tmp_path / "portfolio")
    older, _ = _add(data, "Clinic", "Her son Darren drove her in.", tmp_path, day="2026-01-05")
    newer, _ = _add(data, "Ward round", "Mr Hughes, 93, in bed 12.", tmp_path, day="2026-03-01")
    _add(data, "Teaching", "I taught the FY1s about fluids.", tmp_path, day="2026-02-01")
    inside, _ = _add(data, "Private", "Mrs Ng was upset.", tmp_path, "--private", day="2026-02-02")
    outside, _ = _add(data, "Old", "Mr Ellis again.", tmp_path, "--private", day="2025-01-01")
    out = tmp_path / "arcp.pdf"

    stopped = run_cli(
        data,
        *("report", "--out", str(out), "--from", "2026-01-01"),
        *("--include-private", outside, "--include-private", inside.upper()),
    )
    assert stopped.returncode == 2, stopped.stderr
    named = f"Ward round ({newer}); Clinic ({older}); Old ({outside}); Private ({inside})"
    assert f"likely patient identifiers in 4 items: {named}." in stopped.stderr
    assert not out.exists()

    unknown = run_cli(
        data, "report", "--out", str(out), "--include-private", "0b5f5a9e-0000-4000-8000-0000"
    )
    assert unknown.returncode == 2 and "No evidence item with uuid" in unknown.stderr
    assert not out.exists()

    allowed = run_cli(
        data, "report", "--out", str(out), "--include-private", inside, "--allow-identifiers"
    )
    assert allowed.returncode == 0, allowed.stderr
    text = pdf_text(out)
    assert "Private" in text and "Old" not in text and "Mrs Ng" in text


def test_the_summary_reads_its_items_once(tmp_path: Path) -> None:
    """``report`` reads the items' content once, for the summary and its privacy check alike
    (and its sign-offs' histories: tests/reports/test_arcp.py)."""
    data = new_portfolio(tmp_path / "portfolio")
    for n in range(3):
        _add(data, f"Clinic {n}", "I learned about fluids.", tmp_path)
    reads: list[str] = []
    collecting: list[bool] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "evidence.text" in statement:
            reads.append(statement)
            collecting.append(gc.isenabled())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        assert main(["--data-dir", str(data), "report", "--out", str(tmp_path / "a.pdf")]) == 0
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert len(reads) == 1, reads
    assert collecting == [False]  # the command's many objects are not walked by collections
    assert gc.isenabled()  # and collection resumes after it

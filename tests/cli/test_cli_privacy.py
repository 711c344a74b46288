"""The command line's privacy guard, as a user meets it: warnings on add and edit, and report,
review export and export stopping with exit 2 (nothing written) unless --allow-identifiers."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import new_portfolio, ok
from tests.conftest import run_cli


def _add(data: Path, title: str, text: str, tmp_path: Path) -> tuple[str, str]:
    source = tmp_path / f"{title}.txt"
    source.write_text(text, encoding="utf-8")
    result = run_cli(
        data,
        *("add", "--kind", "reflection", "--title", title, "--date", "2026-02-03"),
        *("--domain", "GPC2.2", "--text-file", str(source)),
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

"""docs/architecture.md cannot go stale silently: it names every package and every module
directly under portfolio/, and every ``portfolio.…`` name, file path and link it gives exists.

Names are resolved from the source (ast), not imported: a class attribute, a method, an
attribute set on ``self`` or a name bound at module level all count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import portfolio

PACKAGE = Path(portfolio.__file__).parent
ROOT = PACKAGE.parent
DOC = ROOT / "docs" / "architecture.md"
TEXT = DOC.read_text(encoding="utf-8")

DOTTED = re.compile(r"(?<![\w./-])portfolio(?:\.[A-Za-z_]\w*)+")
PATH = re.compile(
    r"(?<![\w./-])(?:portfolio|tests|docs|resources|benchmarks|scripts|packaging)/[\w./-]*"
)
LINK = re.compile(r"\]\(([^)#]+)(?:#[^)]*)?\)")
PLACEHOLDER = "<*{…"


def packages() -> list[str]:
    """Every package below portfolio/ as ``portfolio/a/b/``."""
    return sorted(
        f"portfolio/{folder.relative_to(PACKAGE).as_posix()}/"
        for folder in PACKAGE.rglob("*")
        if folder.is_dir() and any(folder.glob("*.py"))
    )


def top_level_modules() -> list[str]:
    return sorted(f"portfolio/{path.name}" for path in PACKAGE.glob("*.py"))


def mentioned_paths(text: str) -> set[str]:
    found = set()
    for match in PATH.finditer(text):
        path = match.group().rstrip(".")
        following = text[match.end() : match.end() + 1]
        if following and following in PLACEHOLDER:  # resources/kinds/<kind>.json
            path = path[: path.rfind("/") + 1]
        found.add(path)
    return found


def bound_names(body: list[ast.stmt]) -> set[str]:
    """Names a module or class body binds, with the attributes its methods set on ``self``."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.If):
            names |= bound_names(node.body) | bound_names(node.orelse)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Attribute)
                    and isinstance(inner.ctx, ast.Store)
                    and isinstance(inner.value, ast.Name)
                    and inner.value.id == "self"
                ):
                    names.add(inner.attr)
    return names


def member(body: list[ast.stmt], name: str) -> list[ast.stmt] | None:
    """The body of class ``name`` in ``body``; [] for any other name bound there; None if unbound."""
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node.body
    return [] if name in bound_names(body) else None


def resolves(dotted: str) -> bool:
    """Whether ``dotted`` is a module of the package, or a name bound in one (and so on)."""
    parts = dotted.split(".")[1:]
    for split in range(len(parts), -1, -1):
        base = PACKAGE.joinpath(*parts[:split])
        source = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        if source.is_file():
            break
    else:
        return False
    body: list[ast.stmt] | None = ast.parse(source.read_text(encoding="utf-8")).body
    for name in parts[split:]:
        if not body:
            return False
        body = member(body, name)
        if body is None:
            return False
    return True


def test_every_package_and_top_level_module_is_named() -> None:
    missing = [name for name in packages() + top_level_modules() if f"`{name}`" not in TEXT]
    assert missing == []


def test_every_dotted_name_exists() -> None:
    names = set(DOTTED.findall(TEXT))
    assert len(names) > 40  # the two paths through the layers name their functions
    assert sorted(n for n in names if not resolves(n)) == []


def test_every_file_path_exists() -> None:
    paths = mentioned_paths(TEXT)
    assert len(paths) > 40
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []


def test_the_files_a_package_row_names_are_in_that_package() -> None:
    """``| `portfolio/cli/` | `parser.py` declares …``: each bare file name is in the package."""
    rows = re.findall(r"^\| `(portfolio/[\w/]+/)` \|(.*)$", TEXT, re.MULTILINE)
    named = [(package, name) for package, row in rows for name in re.findall(r"`(\w+\.py)`", row)]
    assert len(named) > 15
    assert [f"{p}{n}" for p, n in named if not (ROOT / p / n).is_file()] == []


def test_every_link_leads_to_a_file() -> None:
    links = [link for link in LINK.findall(TEXT) if "://" not in link]
    assert links and [link for link in links if not (DOC.parent / link).exists()] == []


def test_the_checks_themselves_catch_a_stale_name() -> None:
    assert resolves("portfolio.ui.editor.session.EditorSession.save")
    assert resolves("portfolio.app.Portfolio.evidence")  # set on self in __init__
    assert not resolves("portfolio.ui.editor.session.EditorSession.no_such_method")
    assert not resolves("portfolio.no_such_module")
    assert not resolves("portfolio.vocabulary.ChangeKind.EVIDENCE.more")
    assert mentioned_paths("see `resources/kinds/<kind>.json` and portfolio/app.py.") == {
        "resources/kinds/",
        "portfolio/app.py",
    }
    assert "portfolio/ui/reviews/" in packages()
    assert "portfolio/storage/migrations/versions/" in packages()

"""The layers are enforced: `make lint` (lint-imports) refuses an import against them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(tree)},
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for package in ("db", "resolvers", "schema", "web", "cli"):
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_layers(tree: Path):
    result = _lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "planted"),
    [
        ("resolvers/errors.py", "import strawberry  # noqa\n"),
        ("resolvers/errors.py", "from web import pages  # noqa\n"),
        ("db/engine.py", "from resolvers import errors  # noqa\n"),
        ("schema/common.py", "from web import pages  # noqa\n"),
    ],
)
def test_an_import_against_the_layers_fails_the_lint(tree: Path, module: str, planted: str):
    path = tree / module
    path.write_text(path.read_text() + planted)
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout

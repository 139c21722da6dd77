"""The architecture, read from the imports: pure rules and figures know no database, models know no pages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "coverage"

# Rules, figures and text handling: plain values in, plain values out.
PURE = ["rows", "omissions", "matrix", "charts", "exports", "cleaning", "highlight", "alignment"]
PURE_PACKAGES = ["suggesting"]
# What a pure module may not import: the models, the ORM, the read model, requests.
FORBIDDEN_IN_PURE = (
    "coverage.models",
    "coverage.readmodel",
    "django.db",
    "django.http",
    "django.shortcuts",
    "django.contrib",
)
# What the models may not know about: the pages and their forms, admin and figures.
FORBIDDEN_IN_MODELS = ("coverage.views", "coverage.forms", "coverage.admin", "coverage.charts", "coverage.matrix")


def imports_of(path: Path, package: str | None = None) -> set[str]:
    """Absolute module names a file imports; relative ones resolved within its package."""
    package = package or ".".join(path.relative_to(APP.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _pure_files() -> list[Path]:
    files = [APP / f"{name}.py" for name in PURE]
    for package in PURE_PACKAGES:
        files += sorted((APP / package).glob("*.py"))
    return files


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(APP)))
def test_pure_modules_import_no_models_orm_or_requests(path):
    assert path.exists()
    bad = sorted(name for name in imports_of(path) if name.startswith(FORBIDDEN_IN_PURE))
    assert bad == [], f"{path.name} imports {bad}"


def test_models_import_no_views_forms_admin_or_figures():
    files = [APP / "models.py", *sorted(APP.glob("*_models.py"))]
    for path in files:
        bad = sorted(name for name in imports_of(path) if name.startswith(FORBIDDEN_IN_MODELS))
        assert bad == [], f"{path.name} imports {bad}"


def test_the_read_model_is_the_only_module_that_counts_statements_for_pages():
    """Views read figures from the read model; they never aggregate statements themselves."""
    views = (APP / "views.py").read_text(encoding="utf-8")
    for aggregate in ("Count(", "Avg(", "Sum(", ".annotate(", ".aggregate("):
        assert aggregate not in views, f"coverage/views.py counts with {aggregate}"


def test_the_checker_sees_a_forbidden_import(tmp_path):
    """The checks above would notice a pure module that reached for the database."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from ..models import Statement\nfrom django.db.models import Count\nimport json\n", encoding="utf-8"
    )
    found = imports_of(probe, "coverage.suggesting")
    assert {"coverage.models.Statement", "django.db.models", "json"} <= found
    assert any(name.startswith(FORBIDDEN_IN_PURE) for name in found)

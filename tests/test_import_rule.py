"""The layer rule: the core and the collectors never load Qt, and only `nocdesk` lands in site-packages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_MODULES = ("PySide6", "pyqtgraph")


def module_names(folder: Path, package: str) -> list[str]:
    """Every module under `folder`, named as installed (`collectors/snmp.py` -> `nocdesk.collectors.snmp`)."""
    names = []
    for path in sorted(folder.rglob("*.py")):
        parts = list(path.relative_to(folder).with_suffix("").parts)
        if "__pycache__" in parts or parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join([package, *parts]))
    return names


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_core_and_collectors_import_without_qt(tmp_path):
    modules = module_names(ROOT / "nocdesk", "nocdesk") + module_names(ROOT / "collectors", "nocdesk.collectors")
    assert {"nocdesk.store", "nocdesk.csvio", "nocdesk.credentials", "nocdesk.cli", "nocdesk.commands.devices",
            "nocdesk.collectors", "nocdesk.collectors.snmp"} <= set(modules)
    assert not [m for m in modules if m.startswith("nocdesk.ui")]
    code = f"""
import importlib, json, sys, traceback
failed = {{}}
for name in {modules!r}:
    try:
        importlib.import_module(name)
    except Exception:
        failed[name] = traceback.format_exc(limit=3)
from nocdesk.cli import build_parser
build_parser()  # every CLI command module, as `nocdesk --help` loads them
print(json.dumps({{"failed": failed, "qt": [m for m in {QT_MODULES!r} if m in sys.modules]}}))
"""
    result = run_python(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == {}, "\n".join(report["failed"].values())
    assert report["qt"] == [], f"the core loaded {report['qt']}"


def test_only_nocdesk_is_a_top_level_package(tmp_path):
    code = """
import importlib.util, json
specs = {name: importlib.util.find_spec(name) for name in ("ui", "collectors", "resources", "nocdesk.collectors")}
print(json.dumps({name: spec.origin if spec else None for name, spec in specs.items()}))
"""
    result = run_python(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    origins = json.loads(result.stdout)
    assert (origins["ui"], origins["collectors"], origins["resources"]) == (None, None, None)
    assert origins["nocdesk.collectors"] == str(ROOT / "collectors" / "__init__.py")


def test_every_subpackage_is_packaged() -> None:
    """A folder with __init__.py that pyproject's `packages` misses works in the source tree but is absent
    from a real install (it happened to nocdesk.demo)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(project["packages"])
    for package, folder in project["package-dir"].items():
        for init in (root / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(root / folder).parts
            assert ".".join((package, *parts)) in listed, f"{init.parent} is not in pyproject packages"

"""What `pip install .` puts in the wheel: the editable install the tests run under reads files
from the source tree, so a data file or package the wheel leaves out would pass every other test
and still break the installed tool."""

from __future__ import annotations

import fnmatch
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (a test dependency there)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folder(package: str) -> Path:
    """Where a package's files live in the source tree (kg.queries is the top-level queries/)."""
    for prefix, folder in SETUPTOOLS.get("package-dir", {}).items():
        if package == prefix or package.startswith(prefix + "."):
            return ROOT / folder / package[len(prefix) + 1 :].replace(".", "/")
    return ROOT / package.replace(".", "/")


def _source_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")]


def test_every_package_with_python_code_is_in_the_wheel():
    listed = {_folder(package) for package in SETUPTOOLS["packages"]}
    holding_code = {p.parent for p in _source_files(ROOT / "kg") if p.suffix == ".py"}
    assert holding_code <= listed, sorted(str(p.relative_to(ROOT)) for p in holding_code - listed)


def test_every_data_file_of_a_package_is_in_the_wheel():
    globs = SETUPTOOLS["package-data"]
    left_out = []
    for package in SETUPTOOLS["packages"]:
        folder = _folder(package)
        for path in folder.iterdir():
            if not path.is_file() or path.suffix in (".py", ".pyc"):
                continue
            if not any(fnmatch.fnmatch(path.name, pattern) for pattern in globs.get(package, [])):
                left_out.append(str(path.relative_to(ROOT)))
        for sub in (p for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__" and not (p / "__init__.py").exists()):
            relative = [str(f.relative_to(folder)) for f in _source_files(sub)]
            left_out += [f"{package}: {r}" for r in relative if not any(fnmatch.fnmatch(r, g) for g in globs.get(package, []))]
    assert left_out == []


def test_the_globs_match_the_files_kg_reads():
    # a glob that matches nothing is a file renamed or moved without its package-data line
    globs = SETUPTOOLS["package-data"]
    for package, patterns in globs.items():
        folder = _folder(package)
        files = [str(f.relative_to(folder)) for f in _source_files(folder)]
        for pattern in patterns:
            assert any(fnmatch.fnmatch(f, pattern) for f in files), f"{package}: {pattern} matches no file"

from __future__ import annotations

import subprocess
import sys

import kg


def test_every_public_name_resolves():
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name


def test_import_kg_does_not_load_spacy():
    code = "import sys, kg; print('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_the_stores_and_the_graph_do_not_load_spacy():
    code = "import sys, kg.store.embedded, kg.store.neo4j_store, kg.graph.build; print('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_what_type_checkers_see_is_what_runs():
    # kg/__init__.py names each public name three times: for type checkers, for __getattr__ and
    # in __all__; they must agree
    import ast
    from pathlib import Path

    tree = ast.parse(Path(kg.__file__).read_text(encoding="utf-8"))
    checked = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    imported = {alias.name: node.module for node in checked.body if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert imported == kg._PUBLIC
    assert kg.__all__ == ["__version__", *kg._PUBLIC]

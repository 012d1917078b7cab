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


def test_the_readmes_python_example_runs_as_written(tmp_path):
    # "Use it from Python" in the README, run as a user pastes it, in a folder of its own
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("KG_", "NEO4J_"))}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    methods, explained = result.stdout.splitlines()
    assert methods.startswith("[{'method': ") and "'technique': " in methods
    assert explained.startswith("EvoPress: Towards Optimal Dynamic Model Compression") and " PROPOSES " in explained


def test_what_a_public_function_returns_is_public_for_type_hints():
    """A notebook annotating `def summarise(result: kg.QueryResult)` found no kg.QueryResult, nor
    kg.BuildSummary, kg.Fact or the evaluation's report: only their private modules had them."""
    import inspect
    import typing

    def classes(hint: object) -> typing.Iterator[type]:
        if isinstance(hint, type) and hint.__module__.startswith("kg."):
            yield hint
        for arg in typing.get_args(hint):
            yield from classes(arg)

    functions = [getattr(kg, name) for name in kg.__all__ if inspect.isfunction(getattr(kg, name))]
    returned = {cls for function in functions for cls in classes(typing.get_type_hints(function)["return"])}
    assert {cls.__name__ for cls in returned} >= {"QueryResult", "BuildSummary", "Fact", "EvalReport", "GraphStore"}
    for cls in returned:
        assert getattr(kg, cls.__name__, None) is cls, f"kg.{cls.__name__} ({cls.__module__})"
    assert kg.ReadReport is kg.corpus.ReadReport  # read_papers(report=kg.ReadReport()) fills one in


def test_the_readmes_python_section_names_every_public_name_and_no_other():
    """`kg.__all__` and the README's "Use it from Python" say the same: a name added to one and
    not the other is a name users cannot find, or one the README promises that is not there."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"\bkg\.([A-Za-z_]+)", section)) - {"__all__"}
    assert named == set(kg.__all__) - {"__version__"}

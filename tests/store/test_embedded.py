"""What only the embedded store does: its file, its lock, its schema upgrades."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.errors import StoreUnavailable
from kg.store.embedded import EmbeddedStore


def test_an_older_database_gets_the_new_columns(tmp_path):
    store = EmbeddedStore(tmp_path / "db")
    store.setup_schema()
    store.run("ALTER TABLE Paper DROP categories", write=True)
    store.setup_schema()
    columns = {row[1] for row in store.run("CALL table_info('Paper') RETURN *").rows}
    store.close()
    assert "categories" in columns


def test_a_database_held_by_another_process_is_a_clear_error(tmp_path):
    store = EmbeddedStore(tmp_path / "db")
    store.setup_schema()
    store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import ladybug, time; db = ladybug.Database({str(tmp_path / 'db' / 'graph.lbug')!r}); print('open', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailable) as info:
            EmbeddedStore(tmp_path / "db")
        assert str(info.value) == f"the graph at {tmp_path / 'db'} is in use by another kg process; wait for it or stop it"
    finally:
        holder.kill()
        holder.wait()


def test_reading_a_missing_database_says_how_to_build_one(tmp_path):
    with pytest.raises(StoreUnavailable, match="no graph at .*; build one first with `kg build`"):
        EmbeddedStore(tmp_path / "none", read_only=True)

from __future__ import annotations

from pathlib import Path

from kg.config import Settings


def test_defaults_then_environment_then_flags():
    assert Settings.from_env({}).store == "embedded"
    assert Settings.from_env({}).db == Path("kg-data")
    env = {"KG_STORE": "neo4j", "KG_DB": "/x", "NEO4J_URI": "neo4j://h:7687", "NEO4J_PASSWORD": "s3cret"}
    settings = Settings.from_env(env)
    assert (settings.store, settings.db, settings.neo4j_uri) == ("neo4j", Path("/x"), "neo4j://h:7687")
    assert Settings.from_env(env, store="embedded", db=None).store == "embedded"
    assert Settings.from_env(env, db=Path("/y")).db == Path("/y")


def test_password_never_shows_in_repr():
    settings = Settings.from_env({"NEO4J_PASSWORD": "s3cret-value"})
    assert settings.neo4j_password == "s3cret-value"
    assert "s3cret-value" not in repr(settings)


def test_buffer_pool_from_the_environment():
    import pytest

    from kg.errors import KgError

    assert Settings.from_env({}).buffer_pool_mb == 1024
    assert Settings.from_env({"KG_BUFFER_POOL_MB": "2048"}).buffer_pool_mb == 2048
    for wrong in ("lots", "-5", "1", "²"):  # the engine cannot open a graph with 1 MiB; "-5" broke its binding
        with pytest.raises(KgError, match=f"KG_BUFFER_POOL_MB must be a whole number of MiB, at least 16, not '{wrong}'"):
            Settings.from_env({"KG_BUFFER_POOL_MB": wrong})

"""Graph stores: the embedded database (default) and Neo4j, behind one interface."""

from __future__ import annotations

from kg.config import STORES, Settings
from kg.errors import KgError
from kg.store import version
from kg.store.base import Cancellation, GraphStore, LoadReport, QueryResult


def open_store(
    settings: Settings, *, read_only: bool = False, existing: bool = False, check_version: bool = True
) -> GraphStore:
    """The store the settings name, connected and ready; ``existing``: an embedded graph that is
    not there is an error, not a new empty one (a mistyped --db). A graph another schema version
    of kg wrote is refused (`StoreOutdated`, saying to run `kg upgrade`) unless ``check_version``
    is off: `kg upgrade` opens such a graph, and `kg query --write` runs on any."""
    store = _connect(settings, read_only=read_only, existing=existing)
    if check_version:
        try:
            if read_only:
                version.check_current(store)
            else:
                store._ensure_schema()
        except BaseException:
            store.close()
            raise
    return store


def _connect(settings: Settings, *, read_only: bool, existing: bool) -> GraphStore:
    if settings.store == "embedded":
        from kg.store.embedded import EmbeddedStore

        return EmbeddedStore(
            settings.db, read_only=read_only, existing=existing or read_only, buffer_pool_mb=settings.buffer_pool_mb
        )
    if settings.store == "neo4j":
        from kg.store.neo4j_store import connect

        return connect(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password or "",
            database=settings.neo4j_database,
        )
    raise KgError(f"unknown store {settings.store!r}; choose one of: {', '.join(STORES)}")


__all__ = ["Cancellation", "GraphStore", "LoadReport", "QueryResult", "open_store"]

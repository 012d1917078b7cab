"""Settings: defaults, overridden by the environment, overridden by flags.

This is the only module that reads ``os.environ``. The Neo4j password comes
from the environment (or, at a terminal, a prompt) and is never printed:
`Settings.__repr__` leaves it out.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from kg.errors import KgError

STORES = ("embedded", "neo4j")


#: the least page memory the embedded store opens a graph with (1 MiB cannot open even an empty one)
MIN_BUFFER_POOL_MB = 16


@dataclass(frozen=True)
class Settings:
    store: str = "embedded"
    db: Path = Path("kg-data")
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    #: only from NEO4J_PASSWORD or a prompt: never a flag, never a default, never printed
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    #: memory the embedded database may cache pages in (MiB); a bigger graph needs more
    buffer_pool_mb: int = 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **flags: object) -> Settings:
        """Defaults < environment < flags (a flag left at None does not override)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, variable in (
            ("store", "KG_STORE"),
            ("db", "KG_DB"),
            ("neo4j_uri", "NEO4J_URI"),
            ("neo4j_user", "NEO4J_USER"),
            ("neo4j_password", "NEO4J_PASSWORD"),
            ("neo4j_database", "NEO4J_DATABASE"),
            ("buffer_pool_mb", "KG_BUFFER_POOL_MB"),
        ):
            if env.get(variable):
                values[name] = env[variable]
        values.update({k: v for k, v in flags.items() if v is not None})
        if "db" in values:
            values["db"] = Path(str(values["db"]))
        if "buffer_pool_mb" in values:
            raw = str(values["buffer_pool_mb"]).strip()
            if not raw.isascii() or not raw.isdigit() or int(raw) < MIN_BUFFER_POOL_MB:
                raise KgError(
                    f"KG_BUFFER_POOL_MB must be a whole number of MiB, at least {MIN_BUFFER_POOL_MB}, "
                    f"not {values['buffer_pool_mb']!r}"
                )
            values["buffer_pool_mb"] = int(raw)
        known = {f.name for f in fields(cls)}
        return replace(cls(), **{k: v for k, v in values.items() if k in known})

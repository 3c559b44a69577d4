"""store stage: the event store.  SQLite by default (stdlib sqlite3); PostgreSQL later, for scale.

  open_store(url_or_path) -> Store      a plain path, "sqlite:///path" (or sqlite:////abs/path),
                                        ":memory:"; "postgresql://..." raises StoreError for now.
  Store (SQLiteStore): has_article(id), add(article, events) -> bool (one transaction; False when the
  article is already stored), add_failure(failure), stats(), iter_events(), get_article(id), close(),
  context manager.
"""
from __future__ import annotations

import os

from sitrep.errors import StoreError
from sitrep.store.sqlite import SCHEMA_VERSION, SQLiteStore

Store = SQLiteStore

__all__ = ["SCHEMA_VERSION", "SQLiteStore", "Store", "StoreError", "open_store"]


def sqlite_path(url_or_path: str | os.PathLike) -> str:
    """The file path named by a plain path or a sqlite:/// URL (SQLAlchemy's convention)."""
    target = os.fspath(url_or_path)
    if target.startswith("sqlite://"):
        rest = target[len("sqlite://"):]
        if rest in ("", "/", "/:memory:"):
            return ":memory:"
        if not rest.startswith("/"):
            raise StoreError(f"bad SQLite URL {target!r}: use sqlite:///relative/path or sqlite:////abs/path")
        return rest[1:]
    if "://" in target:
        scheme = target.split("://", 1)[0].lower()
        if scheme.startswith("postgres"):
            raise StoreError("PostgreSQL store not available yet")
        raise StoreError(f"unsupported store URL scheme {scheme!r} (use a file path or sqlite:///path)")
    if not target:
        raise StoreError("empty store path")
    return target


def open_store(url_or_path: str | os.PathLike) -> SQLiteStore:
    """Open (creating if needed) the store at a path or URL."""
    return SQLiteStore(sqlite_path(url_or_path))

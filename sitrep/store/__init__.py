"""store stage: the event store.  SQLite by default (stdlib sqlite3); PostgreSQL (psycopg 3) for scale.

  open_store(url_or_path) -> Store      a plain path, "sqlite:///path" (or sqlite:////abs/path),
                                        ":memory:", or "postgresql://user@host:port/dbname".
  Store (SQLiteStore, PostgresStore): has_article(id), add(article, events) -> bool (atomic per article;
  False when the article is already stored; ArticleRejected when only this article cannot be stored),
  add_failure(failure), failures(), stats(), iter_events(), events_for_article(id), get_article(id),
  (with open_store(..., merge=True) an article's events merge into the stored events they tell),
  batched(documents=200, seconds=1.0) (a context: adds share transactions committed every N articles or
  T seconds), flush(), close(), context manager.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from sitrep.errors import StoreError
from sitrep.store.sqlite import SCHEMA_VERSION, ArticleRejected, SQLiteStore

if TYPE_CHECKING:
    from sitrep.store.postgres import PostgresStore

Store = SQLiteStore

__all__ = ["SCHEMA_VERSION", "ArticleRejected", "SQLiteStore", "Store", "StoreError", "is_postgres_url",
           "open_store"]


def is_postgres_url(url_or_path: str | os.PathLike) -> bool:
    target = os.fspath(url_or_path)
    return "://" in target and target.split("://", 1)[0].lower() in ("postgres", "postgresql")


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
            raise StoreError(f"{target!r} is a PostgreSQL URL, not a SQLite path")
        raise StoreError(f"unsupported store URL scheme {scheme!r} (use a file path or sqlite:///path)")
    if not target:
        raise StoreError("empty store path")
    return target


def open_store(url_or_path: str | os.PathLike, merge: bool = False) -> SQLiteStore | PostgresStore:
    """Open (creating the schema if needed) the store at a path or URL.

    ``merge``: events of new articles are merged into the stored events they tell (cross-article merging;
    ``sitrep extract --db`` does this unless ``--no-merge``); otherwise every article's events are stored
    as they are."""
    if is_postgres_url(url_or_path):
        from sitrep.store.postgres import PostgresStore

        return PostgresStore(os.fspath(url_or_path), merge=merge)
    return SQLiteStore(sqlite_path(url_or_path), merge=merge)

"""The PostgreSQL event store (psycopg 3): the SQLite store's tables and behaviour on a server, for
corpora and teams bigger than one file.  Same interface as :class:`sitrep.store.sqlite.SQLiteStore`.

Opened with ``open_store("postgresql://user@host:port/dbname")``.  The schema is created on first use;
its version is kept in ``sitrep_meta``.  Every article is stored with all its events or not at all
(one transaction, or a savepoint inside a ``batched()`` transaction); several writers may share a
database (``ON CONFLICT DO NOTHING`` keeps re-added articles and failures single).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from sitrep.errors import StoreError
from sitrep.store.base import SCHEMA_VERSION, ArticleRejected, BaseStore, schema

__all__ = ["SCHEMA", "ArticleRejected", "PostgresStore"]

SCHEMA = ("CREATE TABLE IF NOT EXISTS sitrep_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
          + schema(serial="BIGSERIAL PRIMARY KEY", real="DOUBLE PRECISION",
                   timestamp="TIMESTAMPTZ NOT NULL DEFAULT now()", failures_unique=False))

_SCHEMA_LOCK = 7_300_001  # advisory lock id: two processes creating the schema at once wait for each other


class PostgresStore(BaseStore):
    """Articles, events and failures in a PostgreSQL database (one connection, guarded by a lock)."""

    placeholder = "%s"
    _bytewise = ' COLLATE "C"'

    def __init__(self, url: str, merge: bool = False):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a declared dependency
            raise StoreError("the PostgreSQL store needs psycopg (pip install 'psycopg[binary]')") from exc
        self._psycopg = psycopg
        self._error = psycopg.Error
        self._integrity_error = psycopg.errors.IntegrityError
        self.url = url
        self._init_state(_redacted(url), merge)
        self._outer: Any = None  # the open batch transaction (a psycopg Transaction), if any
        self._open(lambda: psycopg.connect(url, autocommit=True, connect_timeout=10), (psycopg.Error,))

    def _setup(self) -> None:
        with self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            self._db.execute(SCHEMA)
            row = self._db.execute("SELECT value FROM sitrep_meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(f"store {self.path} has schema version {version}; this sitrep knows "
                                 f"{SCHEMA_VERSION} (upgrade sitrep)")
            self._db.execute("INSERT INTO sitrep_meta (key, value) VALUES ('schema_version', %s) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(SCHEMA_VERSION),))

    # -- what PostgreSQL does its own way -------------------------------------------------------------
    def _is_closed(self) -> bool:
        return self._db.closed

    def _insert_or_ignore(self, insert: str, conflict: str) -> str:
        return f"{insert} ON CONFLICT {conflict} DO NOTHING" if conflict else f"{insert} ON CONFLICT DO NOTHING"

    def _row(self, row: tuple) -> tuple:
        return _clean(row)

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        with self._db.cursor() as cur:
            cur.executemany(sql, rows)

    def _in_batch_transaction(self) -> bool:
        return self._outer is not None

    def _begin_batch_transaction(self) -> None:
        self._outer = self._db.transaction()
        self._outer.__enter__()

    def _commit_batch_transaction(self) -> None:
        self._end_outer(commit=True)

    def _atomic(self) -> AbstractContextManager[Any]:
        return self._db.transaction()  # a savepoint when a batch transaction is open

    def _end_outer(self, commit: bool) -> None:
        if self._outer is None:
            return
        outer, self._outer = self._outer, None
        if commit:
            outer.__exit__(None, None, None)
        else:
            outer.__exit__(StoreError, StoreError("rolled back"), None)

    def iter_events(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Stored event records, ordered by event_date (unknown dates last), then event_id."""
        offset_key: tuple[bool, str, str] | None = None
        # keyset pagination: no server-side cursor stays open between batches (the connection is shared)
        while True:
            with self._lock:
                if offset_key is None:
                    rows = self._db.execute(
                        "SELECT event_date IS NULL, coalesce(event_date, ''), event_id, record FROM events "
                        "ORDER BY event_date IS NULL, coalesce(event_date, '') COLLATE \"C\", event_id COLLATE \"C\" LIMIT %s",
                        (batch,)).fetchall()
                else:
                    rows = self._db.execute(
                        "SELECT event_date IS NULL, coalesce(event_date, ''), event_id, record FROM events "
                        "WHERE (event_date IS NULL, coalesce(event_date, '') COLLATE \"C\", event_id COLLATE \"C\") > (%s, %s, %s) "
                        "ORDER BY event_date IS NULL, coalesce(event_date, '') COLLATE \"C\", event_id COLLATE \"C\" LIMIT %s",
                        (*offset_key, batch)).fetchall()
            if not rows:
                return
            for _null, _date, _eid, record in rows:
                yield json.loads(record)
            offset_key = rows[-1][:3]


def _clean(row: tuple) -> tuple:
    """PostgreSQL text cannot hold NUL characters (SQLite can); they are dropped from stored strings."""
    return tuple(v.replace("\x00", "") if isinstance(v, str) and "\x00" in v else v for v in row)


def _redacted(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 -- only for display
        return url.split("@")[-1]
    host = parts.get("host", "")
    port = parts.get("port", "")
    return f"postgresql://{parts.get('user', '')}@{host}{':' + str(port) if port else ''}/{parts.get('dbname', '')}"

"""The SQLite event store (stdlib sqlite3): articles keyed by content hash, their events, reports,
claims and evidence spans, and the failures of a run.  Re-adding an article adds nothing.

Writes are atomic per article: an article is stored with all its events or not at all.  Outside a batch
each ``add`` is its own transaction; inside ``with store.batched(documents=N, seconds=T):`` the adds share
one transaction (each article in its own savepoint) that is committed every N articles or T seconds and
at the end, which is what makes bulk loading fast.  A crash loses at most the uncommitted articles, whole;
re-running the same input stores them then.

Cross-article merging (``merge=True``, what ``sitrep extract --db`` uses): the events of a new article are
merged into the stored events (:class:`sitrep.merge.cross.EventIndex`, rebuilt from the stored records on the
first add), so the ``events`` table holds one row per real-world event and the ``reports``, ``claims`` and
``spans`` rows of every article point to it.  The index holds every event exactly as a fresh load of the
store would rebuild it (``event_from_record``), so a run that was killed and resumed stores what an
uninterrupted run stores.  Merging happens in the one writer, in input order.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from typing import Any

from sitrep.errors import StoreError
from sitrep.store.base import (
    SCHEMA_VERSION,
    ArticleRejected,
    BaseStore,
    BatchPolicy,
    article_row,
    event_rows,
    merge_into,
    schema,
)

__all__ = ["SCHEMA", "SCHEMA_VERSION", "ArticleRejected", "BatchPolicy", "SQLiteStore", "article_row",
           "event_rows", "merge_into"]

SCHEMA = schema(serial="INTEGER PRIMARY KEY", real="REAL",
                timestamp="TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", failures_unique=True)



class SQLiteStore(BaseStore):
    """Articles, events and failures in one SQLite file (WAL mode, foreign keys on).

    Safe to share between threads (one connection, guarded by a lock); several processes may write
    the same file (SQLite locking, with a busy timeout).
    """

    _error = sqlite3.Error
    _integrity_error = sqlite3.IntegrityError

    def __init__(self, path: str | os.PathLike, merge: bool = False):
        self._init_state(os.fspath(path), merge)
        self._open(self._connect, (sqlite3.Error, OSError))

    def _connect(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        return sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)

    def _setup(self) -> None:
        db = self._db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"store {self.path} has schema version {version}; this sitrep knows "
                             f"{SCHEMA_VERSION} (upgrade sitrep)")
        if self.path != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(f"BEGIN; {SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")

    # -- what SQLite does its own way -----------------------------------------------------------------
    def _insert_or_ignore(self, insert: str, conflict: str) -> str:
        return insert.replace("INSERT INTO", "INSERT OR IGNORE INTO", 1)

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        self._db.executemany(sql, rows)

    def _in_batch_transaction(self) -> bool:
        return self._db.in_transaction

    def _begin_batch_transaction(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def _commit_batch_transaction(self) -> None:
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    @contextlib.contextmanager
    def _atomic(self) -> Iterator[None]:
        # explicit statements: the connection runs in autocommit mode (isolation_level=None)
        db = self._db
        begin, undo, end = (("BEGIN IMMEDIATE", ("ROLLBACK",), "COMMIT") if self._batch is None
                            else ("SAVEPOINT unit", ("ROLLBACK TO unit", "RELEASE unit"), "RELEASE unit"))
        db.execute(begin)
        try:
            yield
        except BaseException:
            for statement in undo:
                db.execute(statement)
            raise
        db.execute(end)

    def iter_events(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Stored event records, ordered by event_date (unknown dates last), then event_id."""
        with self._lock:
            cur = self._db.cursor()
            cur.execute("SELECT record FROM events ORDER BY event_date IS NULL, event_date, event_id")
        while True:
            with self._lock:
                rows = cur.fetchmany(batch)
            if not rows:
                return
            for (record,) in rows:
                yield json.loads(record)

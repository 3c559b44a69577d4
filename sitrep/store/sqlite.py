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
import dataclasses
import datetime as dt
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Self

from sitrep.errors import StoreError
from sitrep.model import Article, Event, Failure

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,            -- content hash of the normalized text
    document_id TEXT,
    input_name TEXT,
    line INTEGER,
    title TEXT,
    published TEXT,                 -- ISO date
    url TEXT,
    outlet TEXT,
    byline TEXT,
    language TEXT,
    text TEXT NOT NULL,
    repeated TEXT NOT NULL DEFAULT '[]',  -- JSON list of [start, end]
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    event_type TEXT,
    sub_event_type TEXT,
    event_date TEXT,
    country TEXT,
    admin1 TEXT,
    location TEXT,
    latitude REAL,
    longitude REAL,
    fatalities INTEGER,
    background INTEGER,
    record TEXT NOT NULL            -- the full exported record (JSON)
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    event_type TEXT,
    sub_event_type TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER,
    trigger_text TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    source TEXT,
    source_kind TEXT,
    stance TEXT,
    "start" INTEGER,
    "end" INTEGER,
    text TEXT,
    cue TEXT
);
CREATE TABLE IF NOT EXISTS spans (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT,
    kind TEXT NOT NULL DEFAULT 'evidence'
);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    input_name TEXT NOT NULL,
    line INTEGER,
    reason TEXT NOT NULL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (input_name, line, reason)
);
-- UNIQUE treats NULL lines as distinct; this index makes (input, no line, reason) unique too.
CREATE UNIQUE INDEX IF NOT EXISTS failures_once ON failures(input_name, ifnull(line, -1), reason);
CREATE INDEX IF NOT EXISTS events_event_date ON events(event_date);
CREATE INDEX IF NOT EXISTS events_article_id ON events(article_id);
CREATE INDEX IF NOT EXISTS reports_event_id ON reports(event_id);
CREATE INDEX IF NOT EXISTS claims_event_id ON claims(event_id);
CREATE INDEX IF NOT EXISTS spans_event_id ON spans(event_id);
"""


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_iso)


class ArticleRejected(StoreError):
    """One article cannot be stored (e.g. an event id already used by another article); nothing of it is
    kept.  The store itself is fine: a batch records this article as a failure and goes on."""


class _AlreadyStored(Exception):
    """Internal: the article id is stored already; its unit of work is rolled back."""


@dataclass
class BatchPolicy:
    """When an open batch transaction is committed: after ``documents`` units or ``seconds`` seconds."""

    documents: int = 200
    seconds: float = 1.0
    pending: int = 0
    opened: float = 0.0

    def due(self) -> bool:
        return self.pending >= self.documents or time.monotonic() - self.opened >= self.seconds


def article_row(article: Article) -> tuple:
    return (article.id, article.document_id, article.input_name, article.line, article.title,
            _iso(article.published), article.url, article.outlet, article.byline, article.language,
            article.text, _json([list(r) for r in article.repeated]))


def event_rows(article: Article, event: Event, record: dict[str, Any]) -> tuple[tuple, list, list, list]:
    """The rows of one event: (events row, reports rows, claims rows, spans rows); shared by the stores."""
    loc = event.location.place if event.location is not None else None
    ev = (event.event_id, article.id, event.event_type, event.sub_event_type,
          _iso(record.get("event_date", event.date)),
          record.get("country", loc.country if loc else None),
          record.get("admin1", loc.admin1 if loc else None),
          record.get("location", loc.name if loc else None),
          record.get("latitude", loc.lat if loc else None),
          record.get("longitude", loc.lon if loc else None),
          record.get("fatalities", event.fatalities.best),
          int(bool(record.get("background", event.background))),
          _json(record))
    reports = [(event.event_id, r.article_id or article.id, r.event_type, r.sub_event_type, r.trigger.start,
                r.trigger.end, r.trigger.text) for r in event.reports]
    claims = [(event.event_id, c.span.article_id or article.id, c.source, c.source_kind, c.stance, c.span.start,
               c.span.end, c.span.text, c.cue) for c in event.claims]
    spans = [(event.event_id, s.article_id or article.id, s.start, s.end, s.text, "evidence")
             for s in event.evidence]
    return ev, reports, claims, spans


def merge_into(index: Any, article: Article, event: Event, stored_reports: Callable[[str], int]
               ) -> tuple[Event, tuple, list, list, list]:
    """Merge one new event into the index; the rows to write: (stored event, events row, and the new
    event's reports, claims and spans rows pointing to the stored event).

    ``stored_reports(event_id)`` counts the report rows already stored for an event.  The index keeps the
    stored event as it would be rebuilt from its record, which keeps merging independent of restarts."""
    from sitrep.export import event_record
    from sitrep.merge.cross import event_from_record

    stored = index.add(event)
    record = event_record(stored)
    record["reports"] = stored_reports(stored.event_id) + len(event.reports)
    index.replace(event_from_record(record))
    ev_row = event_rows(article, stored, record)[0]
    # the new article's rows, pointing to the stored event
    new = dataclasses.replace(event, event_id=stored.event_id)
    _, reports, claims, spans = event_rows(article, new, record)
    return stored, ev_row, reports, claims, spans


class SQLiteStore:
    """Articles, events and failures in one SQLite file (WAL mode, foreign keys on).

    Safe to share between threads (one connection, guarded by a lock); several processes may write
    the same file (SQLite locking, with a busy timeout).
    """

    def __init__(self, path: str | os.PathLike, merge: bool = False):
        self.path = os.fspath(path)
        self.merge = merge
        self._index: Any = None  # the cross-article EventIndex, built on the first merged add
        self._lock = threading.RLock()
        self._batch: BatchPolicy | None = None
        self._closed = False
        try:
            if self.path != ":memory:":
                parent = os.path.dirname(os.path.abspath(self.path))
                os.makedirs(parent, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            self._setup()
        except (sqlite3.Error, OSError, StoreError) as exc:
            self._db.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc

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

    # -- context manager --------------------------------------------------------------------------
    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Commit what a batch left open, then close."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                if self._db.in_transaction:
                    self._db.execute("COMMIT")
            except sqlite3.Error:
                pass  # closing anyway: uncommitted articles are simply not stored (a re-run adds them)
            self._db.close()

    # -- articles -----------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def get_article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, text, title, published, url, outlet, byline, language, document_id, input_name, "
                "line, repeated FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        (aid, text, title, published, url, outlet, byline, language, document_id, input_name, line,
         repeated) = row
        return Article(id=aid, text=text, title=title,
                       published=dt.date.fromisoformat(published) if published else None, url=url,
                       outlet=outlet, byline=byline, language=language or "en", document_id=document_id,
                       input_name=input_name, line=line,
                       repeated=[(int(s), int(e)) for s, e in json.loads(repeated or "[]")])

    def add(self, article: Article, events: list[Event]) -> bool:
        """Store the article with all its events, reports, claims and evidence spans, atomically.

        Returns False (and stores nothing) when the article id is already stored.  On any error nothing
        of this article is kept (its transaction, or its savepoint inside a batch, is rolled back);
        a conflict confined to this article raises ArticleRejected.
        """
        from sitrep.export import event_record  # lazily: export imports the model, not the store

        def write() -> None:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO articles (id, document_id, input_name, line, title, published, url, "
                "outlet, byline, language, text, repeated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                article_row(article))
            if cur.rowcount == 0:
                raise _AlreadyStored
            if self.merge:
                for event in events:
                    self._merge_event(article, event)
                return
            for event in events:
                self._insert_event(article, event, event_record(event))

        try:
            self._unit(write)
        except _AlreadyStored:
            return False
        except sqlite3.IntegrityError as exc:
            self._index = None  # the index may hold what was rolled back: rebuilt from the store on next use
            raise ArticleRejected(f"cannot store article {article.id}: {exc}") from exc
        except sqlite3.Error as exc:
            self._index = None
            raise StoreError(f"cannot write store {self.path}: {exc}") from exc
        except BaseException:
            self._index = None
            raise
        return True

    def _merge_event(self, article: Article, event: Event) -> None:
        if self._index is None:
            from sitrep.merge.cross import EventIndex

            self._index = EventIndex.from_records(self.iter_events())
        _stored, ev, reports, claims, spans = merge_into(self._index, article, event, self._stored_reports)
        self._upsert_event(ev)
        self._insert_rows(reports, claims, spans)

    def _stored_reports(self, event_id: str) -> int:
        return self._db.execute("SELECT count(*) FROM reports WHERE event_id = ?", (event_id,)).fetchone()[0]

    def _upsert_event(self, ev: tuple) -> None:
        """Insert the event row, or update a stored event's fields (keeping its first article)."""
        self._db.execute(
            "INSERT INTO events (event_id, article_id, event_type, sub_event_type, event_date, country, "
            "admin1, location, latitude, longitude, fatalities, background, record) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (event_id) DO UPDATE SET "
            "event_type = excluded.event_type, sub_event_type = excluded.sub_event_type, "
            "event_date = excluded.event_date, country = excluded.country, admin1 = excluded.admin1, "
            "location = excluded.location, latitude = excluded.latitude, longitude = excluded.longitude, "
            "fatalities = excluded.fatalities, background = excluded.background, record = excluded.record", ev)

    def _insert_event(self, article: Article, event: Event, record: dict[str, Any]) -> None:
        ev, reports, claims, spans = event_rows(article, event, record)
        self._db.execute(
            "INSERT INTO events (event_id, article_id, event_type, sub_event_type, event_date, country, "
            "admin1, location, latitude, longitude, fatalities, background, record) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", ev)
        self._insert_rows(reports, claims, spans)

    def _insert_rows(self, reports: list, claims: list, spans: list) -> None:
        db = self._db
        db.executemany(
            "INSERT INTO reports (event_id, article_id, event_type, sub_event_type, trigger_start, trigger_end, "
            "trigger_text) VALUES (?,?,?,?,?,?,?)", reports)
        db.executemany(
            'INSERT INTO claims (event_id, article_id, source, source_kind, stance, "start", "end", text, cue) '
            "VALUES (?,?,?,?,?,?,?,?,?)", claims)
        db.executemany(
            'INSERT INTO spans (event_id, article_id, "start", "end", text, kind) VALUES (?,?,?,?,?,?)', spans)

    # -- transactions ---------------------------------------------------------------------------------
    def _unit(self, write: Callable[[], None]) -> None:
        """Run one article's (or failure's) writes atomically: alone, or in a savepoint of the batch."""
        with self._lock:
            db = self._db
            if self._batch is None:
                db.execute("BEGIN IMMEDIATE")
                try:
                    write()
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
                return
            if not db.in_transaction:
                db.execute("BEGIN IMMEDIATE")
                self._batch.opened = time.monotonic()
                self._batch.pending = 0
            db.execute("SAVEPOINT unit")
            try:
                write()
            except BaseException:
                db.execute("ROLLBACK TO unit")
                db.execute("RELEASE unit")
                raise
            db.execute("RELEASE unit")
            self._batch.pending += 1
            if self._batch.due():
                self.flush()

    @contextlib.contextmanager
    def batched(self, documents: int = 200, seconds: float = 1.0) -> Iterator[Self]:
        """Group adds into transactions committed every ``documents`` articles or ``seconds`` seconds.

        Everything added inside is committed on leaving (also when leaving by an exception: the articles
        added so far are whole).  Not reentrant.
        """
        with self._lock:
            if self._batch is not None:
                raise StoreError("store is already in a batch")
            self._batch = BatchPolicy(documents=max(1, documents), seconds=seconds)
        try:
            yield self
        finally:
            with self._lock:
                try:
                    self.flush()
                finally:
                    self._batch = None

    def flush(self) -> None:
        """Commit the open batch transaction, if any."""
        with self._lock:
            if self._closed:
                return
            if self._db.in_transaction:
                try:
                    self._db.execute("COMMIT")
                except sqlite3.Error as exc:
                    raise StoreError(f"cannot write store {self.path}: {exc}") from exc
            if self._batch is not None:
                self._batch.pending = 0

    # -- failures -----------------------------------------------------------------------------------
    def add_failure(self, failure: Failure) -> None:
        """Record a failed input once (same input, line and reason are stored once)."""
        def write() -> None:
            self._db.execute("INSERT OR IGNORE INTO failures (input_name, line, reason) VALUES (?,?,?)",
                             (failure.input_name, failure.line, failure.reason))

        try:
            self._unit(write)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write store {self.path}: {exc}") from exc

    def failures(self) -> list[Failure]:
        with self._lock:
            rows = self._db.execute("SELECT input_name, reason, line FROM failures ORDER BY id").fetchall()
        return [Failure(name, reason, line) for name, reason, line in rows]

    # -- reading ------------------------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        """{"articles": N, "events": N, "failures": N distinct inputs (input + line) that failed}."""
        with self._lock:
            db = self._db
            articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            events = db.execute("SELECT count(*) FROM events").fetchone()[0]
            failures = db.execute(
                "SELECT count(*) FROM (SELECT DISTINCT input_name, ifnull(line, -1) FROM failures)").fetchone()[0]
        return {"articles": articles, "events": events, "failures": failures}

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

    def events_for_article(self, article_id: str) -> list[dict[str, Any]]:
        """The stored events an article tells (also those it was merged into)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT record FROM events WHERE article_id = ? OR event_id IN "
                "(SELECT event_id FROM reports WHERE article_id = ?) ORDER BY event_id",
                (article_id, article_id)).fetchall()
        return [json.loads(r) for (r,) in rows]

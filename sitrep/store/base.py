"""What the SQLite and PostgreSQL event stores share: the row builders, cross-article merging, and
:class:`BaseStore`, which holds every query and the batching logic once.

The SQL in :class:`BaseStore` is written with ``?`` placeholders; :meth:`BaseStore._q` rewrites them to the
driver's style.  A store subclass supplies only what truly differs between the databases: how a
connection is opened and its schema set up, the driver's error classes, "insert unless already there"
syntax, how a batch transaction and a savepoint are opened and committed, and how stored events are paged.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from sitrep.errors import StoreError
from sitrep.model import Article, Event, Failure

SCHEMA_VERSION = 1


def schema(serial: str, real: str, timestamp: str, failures_unique: bool) -> str:
    """The tables and indexes of a store, in one database's types: ``serial`` (the row-id key column),
    ``real`` (floating point), ``timestamp`` (the added_at column with its default); ``failures_unique``
    adds a UNIQUE (input_name, line, reason) constraint beside the ``failures_once`` index."""
    unique = ",\n    UNIQUE (input_name, line, reason)" if failures_unique else ""
    return f"""
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
    added_at {timestamp}
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
    latitude {real},
    longitude {real},
    fatalities INTEGER,
    background INTEGER,
    record TEXT NOT NULL            -- the full exported record (JSON)
);
CREATE TABLE IF NOT EXISTS reports (
    id {serial},
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    event_type TEXT,
    sub_event_type TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER,
    trigger_text TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    id {serial},
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
    id {serial},
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT,
    kind TEXT NOT NULL DEFAULT 'evidence'
);
CREATE TABLE IF NOT EXISTS failures (
    id {serial},
    input_name TEXT NOT NULL,
    line INTEGER,
    reason TEXT NOT NULL,
    added_at {timestamp}{unique}
);
-- UNIQUE treats NULL lines as distinct; this index makes (input, no line, reason) unique too.
CREATE UNIQUE INDEX IF NOT EXISTS failures_once ON failures(input_name, coalesce(line, -1), reason);
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


_EVENT_COLUMNS = ("INSERT INTO events (event_id, article_id, event_type, sub_event_type, event_date, country, "
                  "admin1, location, latitude, longitude, fatalities, background, record) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
_EVENT_UPDATE = (" ON CONFLICT (event_id) DO UPDATE SET "
                 "event_type = excluded.event_type, sub_event_type = excluded.sub_event_type, "
                 "event_date = excluded.event_date, country = excluded.country, admin1 = excluded.admin1, "
                 "location = excluded.location, latitude = excluded.latitude, longitude = excluded.longitude, "
                 "fatalities = excluded.fatalities, background = excluded.background, record = excluded.record")
_ROW_INSERTS = (
    ("INSERT INTO reports (event_id, article_id, event_type, sub_event_type, trigger_start, trigger_end, "
     "trigger_text) VALUES (?,?,?,?,?,?,?)"),
    ('INSERT INTO claims (event_id, article_id, source, source_kind, stance, "start", "end", text, cue) '
     "VALUES (?,?,?,?,?,?,?,?,?)"),
    'INSERT INTO spans (event_id, article_id, "start", "end", text, kind) VALUES (?,?,?,?,?,?)',
)


class BaseStore:
    """The store interface, written once; see :class:`sitrep.store.sqlite.SQLiteStore` and
    :class:`sitrep.store.postgres.PostgresStore` for the databases.

    Subclasses set ``_db`` (the open connection), ``_error`` and ``_integrity_error`` (the driver's error
    classes) and implement the hooks below the ``# -- hooks`` line.
    """

    placeholder: ClassVar[str] = "?"
    #: appended to ORDER BY terms over text so both databases order by code point
    _bytewise: ClassVar[str] = ""
    _db: Any
    _error: type[BaseException]
    _integrity_error: type[BaseException]

    def _init_state(self, path: str, merge: bool) -> None:
        self.path = path
        self.merge = merge
        self._index: Any = None  # the cross-article EventIndex, built on the first merged add
        self._lock = threading.RLock()
        self._batch: BatchPolicy | None = None
        self._closed = False

    def _open(self, connect: Callable[[], Any], errors: tuple[type[BaseException], ...]) -> None:
        """Connect (``connect()``) and set up the schema (``self._setup()``); ``errors`` (the driver's,
        and the like) become StoreError.  A connection whose setup fails is closed."""
        try:
            self._db = connect()
        except errors as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            self._setup()
        except BaseException as exc:
            self._db.close()
            if isinstance(exc, errors) and not isinstance(exc, StoreError):
                raise StoreError(f"cannot open store {self.path}: {exc}") from exc
            raise

    def _setup(self) -> None:
        raise NotImplementedError

    # -- hooks --------------------------------------------------------------------------------------
    def _insert_or_ignore(self, insert: str, conflict: str) -> str:
        """``insert`` made to do nothing when the row is there already (``conflict``: the target)."""
        raise NotImplementedError

    def _row(self, row: tuple) -> tuple:
        """A row of values as the database can store it."""
        return row

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        raise NotImplementedError

    def _in_batch_transaction(self) -> bool:
        raise NotImplementedError

    def _begin_batch_transaction(self) -> None:
        raise NotImplementedError

    def _commit_batch_transaction(self) -> None:
        """Commit the open batch transaction, if any."""
        raise NotImplementedError

    def _atomic(self) -> contextlib.AbstractContextManager[Any]:
        """One unit of writes: its own transaction, or a savepoint of the open batch transaction."""
        raise NotImplementedError

    def _is_closed(self) -> bool:
        return self._closed

    def iter_events(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Stored event records, ordered by event_date (unknown dates last), then event_id."""
        raise NotImplementedError

    # -- SQL ----------------------------------------------------------------------------------------
    def _q(self, sql: str) -> str:
        """``sql`` with its ``?`` placeholders in the driver's style."""
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _execute(self, sql: str, params: tuple = ()) -> Any:
        return self._db.execute(self._q(sql), params)

    def _write_error(self, exc: BaseException) -> StoreError:
        return StoreError(f"cannot write store {self.path}: {exc}")

    # -- context manager --------------------------------------------------------------------------
    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Commit what a batch left open, then close."""
        with self._lock:
            if self._is_closed():
                return
            self._closed = True
            try:
                self._commit_batch_transaction()
            except (self._error, StoreError):
                pass  # closing anyway: uncommitted articles are simply not stored (a re-run adds them)
            self._db.close()

    # -- articles -----------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        with self._lock:
            row = self._execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def get_article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._execute(
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

        insert = self._insert_or_ignore(
            "INSERT INTO articles (id, document_id, input_name, line, title, published, url, outlet, byline, "
            "language, text, repeated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", "(id)")

        def write() -> None:
            if self._execute(insert, self._row(article_row(article))).rowcount == 0:
                raise _AlreadyStored
            for event in events:
                if self.merge:
                    self._merge_event(article, event)
                else:
                    self._insert_event(article, event, event_record(event))

        try:
            self._unit(write)
        except _AlreadyStored:
            return False
        except self._integrity_error as exc:
            self._index = None  # the index may hold what was rolled back: rebuilt from the store on next use
            raise ArticleRejected(f"cannot store article {article.id}: {exc}") from exc
        except self._error as exc:
            self._index = None
            raise self._write_error(exc) from exc
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
        return self._execute("SELECT count(*) FROM reports WHERE event_id = ?", (event_id,)).fetchone()[0]

    def _upsert_event(self, ev: tuple) -> None:
        """Insert the event row, or update a stored event's fields (keeping its first article)."""
        self._execute(_EVENT_COLUMNS + _EVENT_UPDATE, self._row(ev))

    def _insert_event(self, article: Article, event: Event, record: dict[str, Any]) -> None:
        ev, reports, claims, spans = event_rows(article, event, record)
        self._execute(_EVENT_COLUMNS, self._row(ev))
        self._insert_rows(reports, claims, spans)

    def _insert_rows(self, reports: list, claims: list, spans: list) -> None:
        for sql, rows in zip(_ROW_INSERTS, (reports, claims, spans)):
            if rows:
                self._executemany(self._q(sql), [self._row(r) for r in rows])

    # -- transactions ---------------------------------------------------------------------------------
    def _unit(self, write: Callable[[], None]) -> None:
        """Run one article's (or failure's) writes atomically: alone, or in a savepoint of the batch."""
        with self._lock:
            if self._batch is not None and not self._in_batch_transaction():
                self._begin_batch_transaction()
                self._batch.opened = time.monotonic()
                self._batch.pending = 0
            with self._atomic():
                write()
            if self._batch is not None:
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
            if self._is_closed():
                return
            try:
                self._commit_batch_transaction()
            except self._error as exc:
                raise self._write_error(exc) from exc
            if self._batch is not None:
                self._batch.pending = 0

    # -- failures -----------------------------------------------------------------------------------
    def add_failure(self, failure: Failure) -> None:
        """Record a failed input once (same input, line and reason are stored once)."""
        insert = self._insert_or_ignore("INSERT INTO failures (input_name, line, reason) VALUES (?,?,?)", "")

        def write() -> None:
            self._execute(insert, self._row((failure.input_name, failure.line, failure.reason)))

        try:
            self._unit(write)
        except self._error as exc:
            raise self._write_error(exc) from exc

    def failures(self) -> list[Failure]:
        with self._lock:
            rows = self._execute("SELECT input_name, reason, line FROM failures ORDER BY id").fetchall()
        return [Failure(name, reason, line) for name, reason, line in rows]

    # -- reading ------------------------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        """{"articles": N, "events": N, "failures": N distinct inputs (input + line) that failed}."""
        with self._lock:
            articles = self._execute("SELECT count(*) FROM articles").fetchone()[0]
            events = self._execute("SELECT count(*) FROM events").fetchone()[0]
            failures = self._execute("SELECT count(*) FROM (SELECT DISTINCT input_name, coalesce(line, -1) "
                                     "FROM failures) AS f").fetchone()[0]
        return {"articles": articles, "events": events, "failures": failures}

    def events_for_article(self, article_id: str) -> list[dict[str, Any]]:
        """The stored events an article tells (also those it was merged into)."""
        with self._lock:
            rows = self._execute(
                "SELECT record FROM events WHERE article_id = ? OR event_id IN "
                f"(SELECT event_id FROM reports WHERE article_id = ?) ORDER BY event_id{self._bytewise}",
                (article_id, article_id)).fetchall()
        return [json.loads(r) for (r,) in rows]

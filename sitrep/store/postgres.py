"""The PostgreSQL event store (psycopg 3): the SQLite store's tables and behaviour on a server, for
corpora and teams bigger than one file.  Same interface as :class:`sitrep.store.sqlite.SQLiteStore`.

Opened with ``open_store("postgresql://user@host:port/dbname")``.  The schema is created on first use;
its version is kept in ``sitrep_meta``.  Every article is stored with all its events or not at all
(one transaction, or a savepoint inside a ``batched()`` transaction); several writers may share a
database (``ON CONFLICT DO NOTHING`` keeps re-added articles and failures single).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Self

from sitrep.errors import StoreError
from sitrep.model import Article, Event, Failure
from sitrep.store.sqlite import (
    SCHEMA_VERSION,
    ArticleRejected,
    BatchPolicy,
    article_row,
    event_rows,
    merge_into,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS sitrep_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    document_id TEXT,
    input_name TEXT,
    line INTEGER,
    title TEXT,
    published TEXT,
    url TEXT,
    outlet TEXT,
    byline TEXT,
    language TEXT,
    text TEXT NOT NULL,
    repeated TEXT NOT NULL DEFAULT '[]',
    added_at TIMESTAMPTZ NOT NULL DEFAULT now()
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
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    fatalities INTEGER,
    background INTEGER,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id BIGSERIAL PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    event_type TEXT,
    sub_event_type TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER,
    trigger_text TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT,
    kind TEXT NOT NULL DEFAULT 'evidence'
);
CREATE TABLE IF NOT EXISTS failures (
    id BIGSERIAL PRIMARY KEY,
    input_name TEXT NOT NULL,
    line INTEGER,
    reason TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS failures_once ON failures (input_name, coalesce(line, -1), reason);
CREATE INDEX IF NOT EXISTS events_event_date ON events (event_date);
CREATE INDEX IF NOT EXISTS events_article_id ON events (article_id);
CREATE INDEX IF NOT EXISTS reports_event_id ON reports (event_id);
CREATE INDEX IF NOT EXISTS claims_event_id ON claims (event_id);
CREATE INDEX IF NOT EXISTS spans_event_id ON spans (event_id);
"""

_SCHEMA_LOCK = 7_300_001  # advisory lock id: two processes creating the schema at once wait for each other


class _AlreadyStored(Exception):
    pass


class PostgresStore:
    """Articles, events and failures in a PostgreSQL database (one connection, guarded by a lock)."""

    def __init__(self, url: str, merge: bool = False):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a declared dependency
            raise StoreError("the PostgreSQL store needs psycopg (pip install 'psycopg[binary]')") from exc
        self._psycopg = psycopg
        self.url = url
        self.merge = merge
        self._index: Any = None  # the cross-article EventIndex, built on the first merged add
        self.path = _redacted(url)
        self._lock = threading.RLock()
        self._batch: BatchPolicy | None = None
        self._outer = None  # the open batch transaction (a psycopg Transaction), if any
        try:
            self._db = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            self._setup()
        except BaseException as exc:
            self._db.close()
            if isinstance(exc, psycopg.Error):
                raise StoreError(f"cannot open store {self.path}: {exc}") from exc
            raise

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

    # -- context manager --------------------------------------------------------------------------
    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Commit what a batch left open, then close."""
        with self._lock:
            if self._db.closed:
                return
            try:
                self._end_outer(commit=True)
            except (self._psycopg.Error, StoreError):
                pass  # closing anyway: uncommitted articles are not stored (a re-run adds them)
            self._db.close()

    # -- articles -----------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM articles WHERE id = %s", (article_id,)).fetchone()
        return row is not None

    def get_article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, text, title, published, url, outlet, byline, language, document_id, input_name, "
                "line, repeated FROM articles WHERE id = %s", (article_id,)).fetchone()
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
        """Store the article with all its events, atomically; False when it is stored already."""
        from sitrep.export import event_record

        def write() -> None:
            cur = self._db.execute(
                "INSERT INTO articles (id, document_id, input_name, line, title, published, url, outlet, "
                "byline, language, text, repeated) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
                "ON CONFLICT (id) DO NOTHING", _clean(article_row(article)))
            if cur.rowcount == 0:
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
        except self._psycopg.errors.IntegrityError as exc:
            self._index = None  # the index may hold what was rolled back: rebuilt from the store on next use
            raise ArticleRejected(f"cannot store article {article.id}: {exc}") from exc
        except self._psycopg.Error as exc:
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
        self._db.execute(
            "INSERT INTO events (event_id, article_id, event_type, sub_event_type, event_date, country, "
            "admin1, location, latitude, longitude, fatalities, background, record) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (event_id) DO UPDATE SET "
            "event_type = excluded.event_type, sub_event_type = excluded.sub_event_type, "
            "event_date = excluded.event_date, country = excluded.country, admin1 = excluded.admin1, "
            "location = excluded.location, latitude = excluded.latitude, longitude = excluded.longitude, "
            "fatalities = excluded.fatalities, background = excluded.background, record = excluded.record",
            _clean(ev))
        self._insert_rows(reports, claims, spans)

    def _stored_reports(self, event_id: str) -> int:
        return self._db.execute("SELECT count(*) FROM reports WHERE event_id = %s", (event_id,)).fetchone()[0]

    def _insert_event(self, article: Article, event: Event, record: dict[str, Any]) -> None:
        ev, reports, claims, spans = event_rows(article, event, record)
        with self._db.cursor() as cur:
            cur.execute(
                "INSERT INTO events (event_id, article_id, event_type, sub_event_type, event_date, country, "
                "admin1, location, latitude, longitude, fatalities, background, record) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", _clean(ev))
        self._insert_rows(reports, claims, spans)

    def _insert_rows(self, reports: list, claims: list, spans: list) -> None:
        with self._db.cursor() as cur:
            if reports:
                cur.executemany(
                    "INSERT INTO reports (event_id, article_id, event_type, sub_event_type, trigger_start, "
                    "trigger_end, trigger_text) VALUES (%s,%s,%s,%s,%s,%s,%s)", [_clean(r) for r in reports])
            if claims:
                cur.executemany(
                    'INSERT INTO claims (event_id, article_id, source, source_kind, stance, "start", "end", '
                    "text, cue) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)", [_clean(c) for c in claims])
            if spans:
                cur.executemany(
                    'INSERT INTO spans (event_id, article_id, "start", "end", text, kind) '
                    "VALUES (%s,%s,%s,%s,%s,%s)", [_clean(s) for s in spans])

    # -- transactions ---------------------------------------------------------------------------------
    def _unit(self, write: Callable[[], None]) -> None:
        """One article's writes: their own transaction, or a savepoint of the open batch transaction."""
        with self._lock:
            if self._batch is not None and self._outer is None:
                self._outer = self._db.transaction()
                self._outer.__enter__()
                self._batch.opened = time.monotonic()
                self._batch.pending = 0
            with self._db.transaction():  # a savepoint when a batch transaction is open
                write()
            if self._batch is not None:
                self._batch.pending += 1
                if self._batch.due():
                    self.flush()

    def _end_outer(self, commit: bool) -> None:
        if self._outer is None:
            return
        outer, self._outer = self._outer, None
        if commit:
            outer.__exit__(None, None, None)
        else:
            outer.__exit__(StoreError, StoreError("rolled back"), None)

    @contextlib.contextmanager
    def batched(self, documents: int = 200, seconds: float = 1.0) -> Iterator[Self]:
        """Group adds into transactions committed every ``documents`` articles or ``seconds`` seconds."""
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
            if self._db.closed:
                return
            try:
                self._end_outer(commit=True)
            except self._psycopg.Error as exc:
                raise StoreError(f"cannot write store {self.path}: {exc}") from exc
            if self._batch is not None:
                self._batch.pending = 0

    # -- failures -----------------------------------------------------------------------------------
    def add_failure(self, failure: Failure) -> None:
        """Record a failed input once (same input, line and reason are stored once)."""
        def write() -> None:
            self._db.execute("INSERT INTO failures (input_name, line, reason) VALUES (%s,%s,%s) "
                             "ON CONFLICT DO NOTHING",
                             _clean((failure.input_name, failure.line, failure.reason)))

        try:
            self._unit(write)
        except self._psycopg.Error as exc:
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
            failures = db.execute("SELECT count(*) FROM (SELECT DISTINCT input_name, coalesce(line, -1) "
                                  "FROM failures) AS f").fetchone()[0]
        return {"articles": articles, "events": events, "failures": failures}

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

    def events_for_article(self, article_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT record FROM events WHERE article_id = %s OR event_id IN "
                "(SELECT event_id FROM reports WHERE article_id = %s) ORDER BY event_id COLLATE \"C\"",
                (article_id, article_id)).fetchall()
        return [json.loads(r) for (r,) in rows]


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

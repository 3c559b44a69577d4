"""Read-only queries over a sitrep store for the web view and the HTML report.

The store file is ATTACHed with ``mode=ro`` to an in-memory SQLite database.  The in-memory side holds
an FTS5 index over each event's notes, evidence and claim text (the store itself has none), built at
start and topped up with any events added to the store since (rowids only grow).  The connection runs
with ``PRAGMA query_only`` except while the in-memory index is refreshed, so nothing here can write.
Every value from a request goes into SQL as a bound parameter; the only SQL built from text are the
fixed column names of the sort whitelist.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sitrep.errors import StoreError

STANCES = ("asserts", "disputes", "denies")

# sort key -> ORDER BY expression (a whitelist: user input never reaches the SQL text)
SORTS: dict[str, str] = {
    "event_date": "e.event_date IS NULL, e.event_date",
    "fatalities": "e.fatalities",
    "event_type": "e.event_type",
    "sub_event_type": "e.sub_event_type",
    "country": "e.country",
    "admin1": "e.admin1",
    "location": "e.location",
    "confidence": "e.confidence",
    "event_id": "e.event_id",
}
MAX_LIMIT = 1000
MAX_POINTS = 50_000

_FTS_SCHEMA = ("CREATE VIRTUAL TABLE IF NOT EXISTS main.events_fts USING fts5("
               "notes, evidence, claims, tokenize = 'unicode61 remove_diacritics 2')")
_FTS_FILL = """
INSERT INTO main.events_fts (rowid, notes, evidence, claims)
SELECT e.rowid,
       coalesce(json_extract(e.record, '$.notes'), ''),
       coalesce((SELECT group_concat(json_extract(j.value, '$.text'), ' ')
                 FROM json_each(e.record, '$.evidence') AS j), ''),
       coalesce((SELECT group_concat(coalesce(json_extract(j.value, '$.source'), '') || ' '
                                     || coalesce(json_extract(j.value, '$.text'), ''), ' ')
                 FROM json_each(e.record, '$.claims') AS j), '')
FROM store.events AS e WHERE e.rowid > ?
"""
# A slim in-memory copy of the filterable columns: filters, counts and sorts run over it (not over the
# store's wide rows with their JSON records); only the records of the page asked for are read.
_EV_SCHEMA = """
CREATE TABLE IF NOT EXISTS main.ev (
    rowid INTEGER PRIMARY KEY, event_id TEXT, event_type TEXT, sub_event_type TEXT, event_date TEXT,
    country TEXT COLLATE NOCASE, admin1 TEXT COLLATE NOCASE, location TEXT, latitude REAL, longitude REAL,
    fatalities INTEGER, background INTEGER, confidence REAL, actors TEXT);
CREATE INDEX IF NOT EXISTS main.ev_date ON ev(event_date);
CREATE INDEX IF NOT EXISTS main.ev_country ON ev(country);
CREATE INDEX IF NOT EXISTS main.ev_type ON ev(event_type);
"""
_EV_FILL = """
INSERT INTO main.ev SELECT e.rowid, e.event_id, e.event_type, e.sub_event_type, e.event_date, e.country,
    e.admin1, e.location, e.latitude, e.longitude, e.fatalities, e.background,
    json_extract(e.record, '$.confidence'),
    sitrep_fold(coalesce(json_extract(e.record, '$.actor1'), '') || char(10) ||
                coalesce(json_extract(e.record, '$.actor2'), '') || char(10) ||
                coalesce(json_extract(e.record, '$.assoc_actor_1'), '') || char(10) ||
                coalesce(json_extract(e.record, '$.assoc_actor_2'), ''))
FROM store.events AS e WHERE e.rowid > ?
"""


def _fold(text: str | None) -> str:
    return (text or "").casefold()


def fts_query(q: str) -> str | None:
    """A safe FTS5 query from what a person typed: every word must occur (quoted, so FTS5 operators
    and syntax characters are plain text); a trailing ``*`` on a word keeps prefix matching."""
    terms = []
    for word in q.split():
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if not re.search(r"\w", word):
            continue
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms) or None


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """'min_lon,min_lat,max_lon,max_lat' -> floats; ValueError when malformed or out of range."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        raise ValueError("bbox needs four numbers: min_lon,min_lat,max_lon,max_lat")
    w, s, e, n = (float(p) for p in parts)
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= 90 and -90 <= n <= 90):
        raise ValueError("bbox out of range (longitudes -180..180, latitudes -90..90)")
    if s > n:
        raise ValueError("bbox min_lat is above max_lat")
    return w, s, e, n


@dataclass
class EventFilter:
    """The filters shared by /api/events, /api/points and /api/timeline (all optional)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    actor: str | None = None  # case-insensitive substring of actor1, actor2 or an associated actor
    country: str | None = None  # exact, case-insensitive
    admin1: str | None = None  # exact, case-insensitive
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    q: str | None = None  # full-text search over notes, evidence and claims
    background: bool | None = None
    min_fatalities: int | None = None

    def where(self, with_dates: bool = True) -> tuple[str, list[Any]]:
        """SQL WHERE clause (over alias ``e`` of the in-memory table main.ev) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if with_dates and self.date_from:
            clauses.append("e.event_date >= ?")
            params.append(self.date_from.isoformat())
        if with_dates and self.date_to:
            clauses.append("e.event_date <= ?")
            params.append(self.date_to.isoformat())
        for column, values in (("event_type", self.event_type), ("sub_event_type", self.sub_event_type)):
            values = [v for v in values if v]
            if values:
                clauses.append(f"e.{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        for column, value in (("country", self.country), ("admin1", self.admin1)):
            if value:
                clauses.append(f"e.{column} = ? COLLATE NOCASE")
                params.append(value)
        if self.bbox:
            w, s, east, n = self.bbox
            clauses.append("e.latitude BETWEEN ? AND ?")
            params += [s, n]
            if w <= east:
                clauses.append("e.longitude BETWEEN ? AND ?")
                params += [w, east]
            else:  # the box crosses the antimeridian
                clauses.append("(e.longitude >= ? OR e.longitude <= ?)")
                params += [w, east]
        if self.background is not None:
            clauses.append("e.background = ?")
            params.append(int(self.background))
        if self.min_fatalities is not None:
            clauses.append("e.fatalities >= ?")
            params.append(self.min_fatalities)
        if self.actor and self.actor.strip():
            clauses.append("instr(e.actors, ?) > 0")
            params.append(_fold(self.actor.strip()))
        if self.q:
            match = fts_query(self.q)
            if match is None:
                clauses.append("0")
            else:
                clauses.append("e.rowid IN (SELECT rowid FROM main.events_fts WHERE events_fts MATCH ?)")
                params.append(match)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def order_by(sort: str) -> str:
    """ORDER BY for a sort key such as 'event_date' or '-fatalities'; ValueError when unknown."""
    desc = sort.startswith("-")
    key = sort[1:] if desc else sort
    if key not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)}, '-' for descending)")
    direction = " DESC" if desc else ""
    cols = ", ".join(part + direction for part in SORTS[key].split(", "))
    if key == "event_date":  # unknown dates last either way
        cols = "e.event_date IS NULL, e.event_date" + direction
    return f" ORDER BY {cols}, e.event_id"


def _ro_uri(path: str) -> str:
    return "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"


class EventIndex:
    """Read-only access to one store file, with a full-text index of its events."""

    def __init__(self, db_path: str | os.PathLike):
        self.path = os.fspath(db_path)
        if not os.path.isfile(self.path):
            raise StoreError(f"no store at {self.path}")
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect("file::memory:", uri=True, check_same_thread=False)
            self._db.create_function("sitrep_fold", 1, _fold, deterministic=True)
            self._db.execute("ATTACH DATABASE ? AS store", (_ro_uri(self.path),))
            tables = {r[0] for r in self._db.execute("SELECT name FROM store.sqlite_master WHERE type='table'")}
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path} read-only: {exc}") from exc
        missing = {"articles", "events", "reports", "claims", "spans"} - tables
        if missing:
            self._db.close()
            raise StoreError(f"{self.path} is not a sitrep store (missing tables: {', '.join(sorted(missing))})")
        self._indexed_rowid = 0
        with self._lock:
            self._db.execute(_FTS_SCHEMA)
            self._db.executescript(_EV_SCHEMA)
            self.refresh()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def refresh(self) -> int:
        """Index events added to the store since the last refresh; returns how many were added."""
        with self._lock:
            top = self._db.execute("SELECT coalesce(max(rowid), 0) FROM store.events").fetchone()[0]
            if top <= self._indexed_rowid:
                return 0
            self._db.execute("PRAGMA query_only = 0")
            try:
                with self._db:
                    cur = self._db.execute(_FTS_FILL, (self._indexed_rowid,))
                    self._db.execute(_EV_FILL, (self._indexed_rowid,))
                self._indexed_rowid = top
                return cur.rowcount
            finally:
                self._db.execute("PRAGMA query_only = 1")

    def _rows(self, sql: str, params: list[Any] | tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # -- lists --------------------------------------------------------------------------------------
    def events(self, flt: EventFilter, sort: str = "-event_date", limit: int = 100,
               offset: int = 0) -> dict[str, Any]:
        """One page of event records matching the filter, with the total count."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be 1..{MAX_LIMIT}")
        if offset < 0:
            raise ValueError("offset must be >= 0")
        order = order_by(sort)
        self.refresh()
        where, params = flt.where()
        total = self._rows(f"SELECT count(*) FROM main.ev AS e{where}", params)[0][0]
        page = [r[0] for r in self._rows(f"SELECT e.rowid FROM main.ev AS e{where}{order} LIMIT ? OFFSET ?",
                                         [*params, limit, offset])]
        records = dict(self._rows(f"SELECT rowid, record FROM store.events WHERE rowid IN "
                                  f"({','.join('?' * len(page))})", page)) if page else {}
        return {"total": total, "limit": limit, "offset": offset, "sort": sort,
                "events": [json.loads(records[r]) for r in page if r in records]}

    def points(self, flt: EventFilter, limit: int = MAX_POINTS) -> dict[str, Any]:
        """Compact map points [event_id, lat, lon, event_type, fatalities, event_date, location]."""
        self.refresh()
        where, params = flt.where()
        located = "e.latitude IS NOT NULL AND e.longitude IS NOT NULL"
        where = f"{where} AND {located}" if where else f" WHERE {located}"
        total = self._rows(f"SELECT count(*) FROM main.ev AS e{where}", params)[0][0]
        rows = self._rows(
            "SELECT e.event_id, e.latitude, e.longitude, e.event_type, coalesce(e.fatalities, 0), e.event_date, "
            f"e.location FROM main.ev AS e{where} ORDER BY e.fatalities DESC, e.event_id LIMIT ?",
            [*params, limit])
        return {"total": total, "truncated": total > len(rows), "points": [list(r) for r in rows]}

    def timeline(self, flt: EventFilter) -> dict[str, Any]:
        """Events per day and event type for the filter (its date range is ignored: the timeline is
        where a range is chosen)."""
        self.refresh()
        where, params = flt.where(with_dates=False)
        dated = "e.event_date IS NOT NULL"
        where = f"{where} AND {dated}" if where else f" WHERE {dated}"
        rows = self._rows(f"SELECT e.event_date, e.event_type, count(*) FROM main.ev AS e{where} "
                          "GROUP BY e.event_date, e.event_type ORDER BY e.event_date, e.event_type", params)
        return {"days": [{"date": d, "event_type": t, "count": n} for d, t, n in rows]}

    def facets(self) -> dict[str, Any]:
        """The values present in the store, for filter menus."""
        def distinct(column: str) -> list[str]:
            return [r[0] for r in self._rows(f"SELECT DISTINCT {column} FROM main.ev "
                                             f"WHERE {column} IS NOT NULL ORDER BY {column}")]
        self.refresh()
        span = self._rows("SELECT min(event_date), max(event_date), count(*) FROM main.ev")[0]
        return {"event_type": distinct("event_type"), "sub_event_type": distinct("sub_event_type"),
                "country": distinct("country"), "date_min": span[0], "date_max": span[1], "events": span[2]}

    def iter_records(self, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every event record, in the order they were stored."""
        self.refresh()
        last: tuple = ()
        while True:
            rows = self._rows("SELECT e.rowid, e.record FROM store.events AS e WHERE e.rowid > ? ORDER BY e.rowid "
                              "LIMIT ?", [last[0] if last else 0, batch])
            if not rows:
                return
            last = rows[-1]
            for _, record in rows:
                yield json.loads(record)

    # -- one event / article --------------------------------------------------------------------------
    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        """The event record with its reports, claims (also grouped by stance), contradictions, evidence
        spans, sources and the articles they come from."""
        self.refresh()
        row = self._rows("SELECT record FROM store.events WHERE event_id = ?", (event_id,))
        if not row:
            return None
        record = json.loads(row[0][0])
        reports = [dict(zip(("article_id", "event_type", "sub_event_type", "trigger_start", "trigger_end",
                             "trigger_text"), r))
                   for r in self._rows("SELECT article_id, event_type, sub_event_type, trigger_start, trigger_end, "
                                       "trigger_text FROM store.reports WHERE event_id = ? ORDER BY id",
                                       (event_id,))]
        claims = [dict(zip(("article_id", "source", "source_kind", "stance", "start", "end", "text", "cue"), r))
                  for r in self._rows('SELECT article_id, source, source_kind, stance, "start", "end", text, cue '
                                      "FROM store.claims WHERE event_id = ? ORDER BY id", (event_id,))]
        extra = {(c.get("start"), c.get("end"), c.get("source")): c for c in record.get("claims") or []}
        for c in claims:
            more = extra.get((c["start"], c["end"], c["source"]), {})
            c["what"] = more.get("what", [])
            c["via"] = more.get("via")
        evidence = [dict(zip(("article_id", "start", "end", "text", "kind"), r))
                    for r in self._rows('SELECT article_id, "start", "end", text, kind FROM store.spans '
                                        'WHERE event_id = ? ORDER BY article_id, "start"', (event_id,))]
        article_ids = list(dict.fromkeys([r["article_id"] for r in reports] + [c["article_id"] for c in claims]
                                         + [s["article_id"] for s in evidence]))
        articles = [self.article_meta(a) or {"id": a} for a in article_ids]
        sources: dict[tuple[str, str], dict[str, Any]] = {}
        for c in claims:
            key = (c["source"] or "unnamed", c["source_kind"] or "unnamed")
            entry = sources.setdefault(key, {"source": key[0], "source_kind": key[1], "stances": [], "claims": 0})
            entry["claims"] += 1
            if c["stance"] not in entry["stances"]:
                entry["stances"].append(c["stance"])
        return {
            "event": record,
            "reports": reports,
            "claims": claims,
            "claims_by_stance": {s: [c for c in claims if c["stance"] == s] for s in STANCES},
            "contradictions": record.get("contradictions") or [],
            "evidence": evidence,
            "sources": list(sources.values()),
            "articles": articles,
        }

    def article_meta(self, article_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT id, document_id, title, published, url, outlet, byline, language "
                          "FROM store.articles WHERE id = ?", (article_id,))
        if not rows:
            return None
        return dict(zip(("id", "document_id", "title", "published", "url", "outlet", "byline", "language"),
                        rows[0]))

    def article(self, article_id: str, event_id: str | None = None) -> dict[str, Any] | None:
        """The article's text with its spans (evidence, claims, triggers), of one event or of all."""
        meta = self.article_meta(article_id)
        if meta is None:
            return None
        text = self._rows("SELECT text FROM store.articles WHERE id = ?", (article_id,))[0][0]
        ev_clause, params = ("", [article_id]) if event_id is None else (" AND event_id = ?", [article_id, event_id])
        spans: list[dict[str, Any]] = []
        for ev, start, end, stext, kind in self._rows(
                f'SELECT event_id, "start", "end", text, kind FROM store.spans WHERE article_id = ?{ev_clause}',
                params):
            spans.append({"event_id": ev, "kind": kind, "start": start, "end": end, "text": stext})
        for ev, start, end, stext, stance, source, kind in self._rows(
                'SELECT event_id, "start", "end", text, stance, source, source_kind FROM store.claims '
                f"WHERE article_id = ?{ev_clause}", params):
            spans.append({"event_id": ev, "kind": "claim", "start": start, "end": end, "text": stext,
                          "stance": stance, "source": source, "source_kind": kind})
        for ev, start, end, stext in self._rows(
                "SELECT event_id, trigger_start, trigger_end, trigger_text FROM store.reports "
                f"WHERE article_id = ?{ev_clause}", params):
            if start is not None and end is not None:
                spans.append({"event_id": ev, "kind": "trigger", "start": start, "end": end, "text": stext})
        spans.sort(key=lambda s: (s["start"], s["end"], s["kind"]))
        events = [r[0] for r in self._rows("SELECT DISTINCT event_id FROM store.reports WHERE article_id = ? "
                                           "UNION SELECT event_id FROM store.events WHERE article_id = ?",
                                           (article_id, article_id))]
        return {**meta, "text": text, "spans": spans, "events": sorted(events)}

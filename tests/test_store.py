"""store: schema, atomic and idempotent adds, failures, stats, reopening."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

import sitrep.export
from sitrep.errors import StoreError
from sitrep.ingest import make_article
from sitrep.model import (
    ActorRef,
    Article,
    Claim,
    Event,
    EventReport,
    Failure,
    Fatalities,
    Place,
    PlaceMention,
)
from sitrep.store import SQLiteStore, open_store, sqlite_path

TEXT = ("Militants storm army post near Tessit\n\n"
        "Militants attacked an army post near Tessit on Sunday, killing seven soldiers, the army said. "
        "A local official said the attackers lost at least ten fighters.")


def article(text: str = TEXT) -> Article:
    return make_article(text, published="2023-05-15", document_id="doc-1", input_name="batch.jsonl", line=3)


def event(art: Article, n: int, date: dt.date | None = dt.date(2023, 5, 14)) -> Event:
    trig_start = art.text.index("attacked")
    trig = art.span(trig_start, trig_start + len("attacked"))
    evidence = art.span(art.text.index("Militants attacked"), art.text.index(" A local"))
    claim_start = art.text.index("the army said")
    claim = Claim(source="Military Forces of Mali", source_kind="official", stance="asserts",
                  span=art.span(claim_start, claim_start + len("the army said")), cue="said")
    report = EventReport(article_id=art.id, document_id=art.document_id, event_type="Battles",
                         sub_event_type="Armed clash", trigger=trig, evidence=[evidence])
    place = Place(geonameid=2450000 + n, name="Tessit", country_code="ML", lat=15.93, lon=0.41, country="Mali",
                  admin1="Gao", feature_code="PPL")
    return Event(event_id=f"{art.id}-{n}", reports=[report], event_type="Battles", sub_event_type="Armed clash",
                 actor1=ActorRef("Unidentified Armed Group (Mali)", 2), assoc_actor_1=[],
                 actor2=ActorRef("Military Forces of Mali", 1), assoc_actor_2=[],
                 location=PlaceMention(span=art.span(art.text.index("Tessit"), art.text.index("Tessit") + 6),
                                       place=place, role="event location"),
                 geo_precision=2, date=date, date_end=None, time_precision=1,
                 fatalities=Fatalities(best=7, low=7, high=17, known=True), claims=[claim], background=False,
                 confidence=0.8)


def count(path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "sub" / "events.db")


def test_schema_created(db_path):
    with open_store(db_path) as store:
        assert isinstance(store, SQLiteStore)
    with sqlite3.connect(db_path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"articles", "events", "reports", "claims", "spans", "failures"} <= tables
        assert {"events_event_date", "events_article_id"} <= indexes
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        cols = {r[1] for r in db.execute("PRAGMA table_info(events)")}
        assert {"event_id", "article_id", "event_type", "sub_event_type", "event_date", "country", "admin1",
                "location", "latitude", "longitude", "fatalities", "background", "record"} <= cols


def test_add_stores_everything_and_is_idempotent(db_path):
    art = article()
    events = [event(art, 1), event(art, 2, date=dt.date(2023, 5, 13))]
    with open_store(db_path) as store:
        assert not store.has_article(art.id)
        assert store.add(art, events) is True
        assert store.has_article(art.id)
        assert store.add(art, events) is False  # same content again: nothing added
        assert store.add(make_article(art.text + "\n"), [event(art, 3)]) is False  # same normalized text
        assert store.stats() == {"articles": 1, "events": 2, "failures": 0}
        records = list(store.iter_events())
        assert [r["event_id"] for r in records] == [f"{art.id}-2", f"{art.id}-1"]  # by event_date
        assert records[0] == sitrep.export.event_record(events[1])
        back = store.get_article(art.id)
        assert back == art
        assert store.get_article("nope") is None
    assert count(db_path, "reports") == 2 and count(db_path, "claims") == 2 and count(db_path, "spans") == 2
    with sqlite3.connect(db_path) as db:
        start, end, text = db.execute('SELECT "start", "end", text FROM claims LIMIT 1').fetchone()
        assert art.text[start:end] == text == "the army said"
        row = db.execute("SELECT country, admin1, location, latitude, fatalities, background FROM events "
                         "WHERE event_id = ?", (f"{art.id}-1",)).fetchone()
        assert row == ("Mali", "Gao", "Tessit", 15.93, 7, 0)


def test_add_is_atomic(db_path, monkeypatch):
    art = article()
    good = event(art, 1)
    real = sitrep.export.event_record

    def flaky(ev):
        if ev.event_id.endswith("-2"):
            raise RuntimeError("disk on fire")
        return real(ev)

    monkeypatch.setattr(sitrep.export, "event_record", flaky)
    with open_store(db_path) as store:
        with pytest.raises(RuntimeError):
            store.add(art, [good, event(art, 2)])
        assert not store.has_article(art.id)
        assert store.stats() == {"articles": 0, "events": 0, "failures": 0}
        monkeypatch.setattr(sitrep.export, "event_record", real)
        assert store.add(art, [good, event(art, 2)]) is True  # a later retry works
    for table in ("reports", "claims", "spans"):
        assert count(db_path, table) == 2


def test_duplicate_event_id_rolls_back_with_store_error(db_path):
    art = article()
    other = article(TEXT + "\n\nFighting resumed on Monday.")
    with open_store(db_path) as store:
        store.add(art, [event(art, 1)])
        clash = event(other, 9)
        clash.event_id = f"{art.id}-1"
        with pytest.raises(StoreError):
            store.add(other, [clash])
        assert not store.has_article(other.id)
        assert store.stats()["events"] == 1


def test_failures_dedupe_and_stats(db_path):
    with open_store(db_path) as store:
        for _ in range(3):
            store.add_failure(Failure("missing.txt", "no such file or directory"))
            store.add_failure(Failure("batch.jsonl", "not valid JSON", 4))
        store.add_failure(Failure("batch.jsonl", "'text' is empty", 9))
        store.add_failure(Failure("batch.jsonl", "a different reason", 4))  # same input+line
        assert count(db_path, "failures") == 4
        assert store.stats() == {"articles": 0, "events": 0, "failures": 3}
        assert Failure("batch.jsonl", "'text' is empty", 9) in store.failures()


def test_reopen_existing_db(tmp_path):
    path = tmp_path / "keep.db"
    art = article()
    with open_store(f"sqlite:///{path}") as store:
        store.add(art, [event(art, 1)])
        store.add_failure(Failure("x.html", "no article text found in HTML"))
    with open_store(str(path)) as store:
        assert store.stats() == {"articles": 1, "events": 1, "failures": 1}
        assert store.add(art, [event(art, 1)]) is False
        other = article(TEXT + "\n\nMore clashes were reported.")
        assert store.add(other, []) is True
        assert store.stats()["articles"] == 2


def test_open_store_urls(tmp_path):
    assert sqlite_path("sqlite:////abs/events.db") == "/abs/events.db"
    assert sqlite_path("sqlite:///rel/events.db") == "rel/events.db"
    assert sqlite_path("sqlite://") == ":memory:"
    with pytest.raises(StoreError, match="cannot open store"):
        open_store("postgresql://user@localhost/sitrep")
    with pytest.raises(StoreError):
        open_store("mysql://localhost/db")
    not_db = tmp_path / "notes.db"
    not_db.write_text("these are my notes, not a database " * 50)
    with pytest.raises(StoreError):
        open_store(str(not_db))
    with open_store(":memory:") as store:
        assert store.stats() == {"articles": 0, "events": 0, "failures": 0}


def test_newer_schema_refused(tmp_path):
    path = str(tmp_path / "future.db")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="schema version"):
        open_store(path)

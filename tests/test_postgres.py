"""The store contract, run on SQLite and on a real PostgreSQL 15 server started here on loopback.

The server: initdb + pg_ctl from PATH or /usr/lib/postgresql/15/bin (scripts/install_postgres.sh installs
Debian's package when missing), in a temporary data directory, as an unprivileged user when we are root,
on a free port; stopped at the end of the session.  Each test gets a fresh database.
"""
from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid

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
from sitrep.store import ArticleRejected, open_store

PG_BIN_DIRS = ["/usr/lib/postgresql/15/bin"]


def _pg_tool(name: str) -> str | None:
    for d in PG_BIN_DIRS:
        if os.access(os.path.join(d, name), os.X_OK):
            return os.path.join(d, name)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A throw-away PostgreSQL cluster: initdb, start on 127.0.0.1:<free port>, stop, remove."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            pytest.skip("PostgreSQL server binaries not found: run scripts/install_postgres.sh")
        self.dir = tempfile.mkdtemp(prefix="sitrep-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = _free_port()
        self.user = "sitrep"
        self.run_as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no 'postgres' user to run the server as")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        r = subprocess.run([*self.run_as, *args], check=False, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {r.stdout}\n{r.stderr}")

    def start(self) -> None:
        self._run(self.initdb, "-D", self.data, "-U", self.user, "-A", "trust", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.pg_ctl, "-D", self.data, "-o", opts, "-l", os.path.join(self.dir, "log"), "-w",
                  "-t", "60", "start")

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server():
    pytest.importorskip("psycopg", reason="psycopg 3 is not installed")
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "events.db")
    return request.getfixturevalue("postgres_server").new_database()


# -- data written here ---------------------------------------------------------------------------------

TEXT = ("Rebels shell market in Bunia\n\n"
        "Rebels shelled the central market of Bunia on Friday, killing four traders, the army said. "
        "A rebel spokesman denied any attack on civilians.")


def article(text: str = TEXT, line: int | None = 3) -> Article:
    return make_article(text, published="2025-11-07", document_id="doc-1", input_name="feed.jsonl", line=line)


def event(art: Article, n: int, date: dt.date | None = dt.date(2025, 11, 7)) -> Event:
    trig_at = art.text.index("shelled")
    trig = art.span(trig_at, trig_at + len("shelled"))
    evidence = art.span(art.text.index("Rebels shelled"), art.text.index(" A rebel"))
    cue_at = art.text.index("the army said")
    claim = Claim(source="Military Forces of the Democratic Republic of Congo", source_kind="official",
                  stance="asserts", span=art.span(cue_at, cue_at + len("the army said")), cue="said")
    report = EventReport(article_id=art.id, document_id=art.document_id, event_type="Explosions/Remote violence",
                         sub_event_type="Shelling/artillery/missile attack", trigger=trig, evidence=[evidence])
    place = Place(geonameid=217831, name="Bunia", country_code="CD", lat=1.5667, lon=30.25,
                  country="Democratic Republic of Congo", admin1="Ituri", feature_code="PPLA")
    at = art.text.index("Bunia", 40)
    return Event(event_id=f"{art.id}-{n}", reports=[report], event_type="Explosions/Remote violence",
                 sub_event_type="Shelling/artillery/missile attack", actor1=ActorRef("Rebels", 2),
                 assoc_actor_1=[], actor2=ActorRef("Civilians (Democratic Republic of Congo)", 7),
                 assoc_actor_2=[], location=PlaceMention(span=art.span(at, at + 5), place=place,
                                                         role="event location"),
                 geo_precision=1, date=date, date_end=None, time_precision=1,
                 fatalities=Fatalities(best=4, low=4, high=4, known=True), claims=[claim], background=False,
                 confidence=0.7)


# -- the contract ------------------------------------------------------------------------------------

def test_add_is_idempotent_and_round_trips(store_url):
    art = article()
    events = [event(art, 1), event(art, 2, date=dt.date(2025, 11, 6)), event(art, 3, date=None)]
    with open_store(store_url) as store:
        assert not store.has_article(art.id)
        assert store.add(art, events) is True
        assert store.add(art, events) is False
        assert store.add(make_article(art.text + "\n\n"), []) is False  # same normalized text
        assert store.stats() == {"articles": 1, "events": 3, "failures": 0}
        assert store.get_article(art.id) == art
        assert store.get_article("missing") is None
        ids = [r["event_id"] for r in store.iter_events(batch=2)]
        assert ids == [f"{art.id}-2", f"{art.id}-1", f"{art.id}-3"]  # by date, unknown last
        assert next(iter(store.iter_events())) == sitrep.export.event_record(events[1])
        assert [r["event_id"] for r in store.events_for_article(art.id)] == sorted(e.event_id for e in events)


def test_add_is_atomic(store_url, monkeypatch):
    art = article()
    real = sitrep.export.event_record

    def flaky(ev):
        if ev.event_id.endswith("-2"):
            raise RuntimeError("disk on fire")
        return real(ev)

    with open_store(store_url) as store:
        monkeypatch.setattr(sitrep.export, "event_record", flaky)
        with pytest.raises(RuntimeError):
            store.add(art, [event(art, 1), event(art, 2)])
        assert store.stats() == {"articles": 0, "events": 0, "failures": 0}
        monkeypatch.setattr(sitrep.export, "event_record", real)
        assert store.add(art, [event(art, 1), event(art, 2)]) is True
        assert store.stats()["events"] == 2


def test_event_id_clash_rejects_only_that_article(store_url):
    art = article()
    other = article(TEXT + "\n\nShelling resumed on Saturday.")
    with open_store(store_url) as store:
        store.add(art, [event(art, 1)])
        clash = event(other, 5)
        clash.event_id = f"{art.id}-1"
        with pytest.raises(ArticleRejected):
            store.add(other, [clash])
        assert isinstance(ArticleRejected("x"), StoreError)
        assert not store.has_article(other.id)
        assert store.add(other, [event(other, 5)]) is True  # the store is still usable
        assert store.stats() == {"articles": 2, "events": 2, "failures": 0}


def test_failures_once_and_stats(store_url):
    with open_store(store_url) as store:
        for _ in range(2):
            store.add_failure(Failure("gone.txt", "no such file or directory"))
            store.add_failure(Failure("feed.jsonl", "not valid JSON", 4))
        store.add_failure(Failure("feed.jsonl", "another reason", 4))
        store.add_failure(Failure("feed.jsonl", "'text' is empty", 8))
        assert len(store.failures()) == 4
        assert store.stats() == {"articles": 0, "events": 0, "failures": 3}
        assert Failure("feed.jsonl", "'text' is empty", 8) in store.failures()


def test_reopen_keeps_everything(store_url):
    art = article()
    with open_store(store_url) as store:
        store.add(art, [event(art, 1)])
        store.add_failure(Failure("page.html", "no article text found in HTML"))
    with open_store(store_url) as store:
        assert store.stats() == {"articles": 1, "events": 1, "failures": 1}
        assert store.add(art, [event(art, 1)]) is False


def test_batched_commits_by_count_and_at_the_end(store_url):
    arts = [article(TEXT + f"\n\nUpdate {i}.", line=i) for i in range(7)]
    with open_store(store_url) as store, open_store(store_url) as reader:
        with store.batched(documents=3, seconds=3600):
            for a in arts[:2]:
                assert store.add(a, [event(a, 1)])
            store.add_failure(Failure("x.txt", "binary file (not text)"))  # the third unit: commit
            assert reader.stats() == {"articles": 2, "events": 2, "failures": 1}
            for a in arts[2:4]:
                store.add(a, [event(a, 1)])
            assert store.stats()["articles"] == 4  # the writer sees its own open batch
            assert reader.stats()["articles"] == 2  # others see only what is committed
            assert store.has_article(arts[3].id)
            assert store.add(arts[3], []) is False  # a duplicate inside the open batch
            store.add(arts[4], [event(arts[4], 1)])
            assert reader.stats()["articles"] == 5
            store.add(arts[5], [event(arts[5], 1)])
        assert reader.stats() == {"articles": 6, "events": 6, "failures": 1}


def test_batched_keeps_each_article_whole(store_url, monkeypatch):
    arts = [article(TEXT + f"\n\nUpdate {i}.", line=i) for i in range(3)]
    real = sitrep.export.event_record

    def flaky(ev):
        if ev.event_id == f"{arts[1].id}-2":
            raise RuntimeError("no space left")
        return real(ev)

    monkeypatch.setattr(sitrep.export, "event_record", flaky)
    with open_store(store_url) as store:
        with store.batched(documents=100, seconds=3600):
            store.add(arts[0], [event(arts[0], 1)])
            with pytest.raises(RuntimeError):
                store.add(arts[1], [event(arts[1], 1), event(arts[1], 2)])
            store.add(arts[2], [event(arts[2], 1)])
        assert store.stats() == {"articles": 2, "events": 2, "failures": 0}
        assert not store.has_article(arts[1].id)


def test_batched_commits_by_time(store_url):
    arts = [article(TEXT + f"\n\nUpdate {i}.", line=i) for i in range(2)]
    with open_store(store_url) as store, open_store(store_url) as reader, \
            store.batched(documents=1000, seconds=0):  # every unit is already due
        store.add(arts[0], [])
        assert reader.stats()["articles"] == 1


def test_close_commits_an_open_batch(store_url):
    art = article()
    store = open_store(store_url)
    batch = store.batched(documents=1000, seconds=3600)
    batch.__enter__()
    store.add(art, [event(art, 1)])
    store.close()
    with open_store(store_url) as again:
        assert again.stats()["articles"] == 1


def test_threads_share_one_store(store_url):
    arts = [article(TEXT + f"\n\nUpdate {i}.", line=i) for i in range(20)]
    with open_store(store_url) as store:
        threads = [threading.Thread(target=lambda a=a: store.add(a, [event(a, 1)])) for a in arts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert store.stats() == {"articles": 20, "events": 20, "failures": 0}


# -- PostgreSQL specifics ------------------------------------------------------------------------------

def test_postgres_url_opens_postgres_store(postgres_server):
    from sitrep.store.postgres import PostgresStore

    url = postgres_server.new_database()
    with open_store(url) as store:
        assert isinstance(store, PostgresStore)
        assert "@" in store.path and ":" in store.path


def test_postgres_unreachable_is_a_store_error():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot open store"):
        open_store(f"postgresql://nobody@127.0.0.1:{_free_port()}/nothing")


def test_cli_extract_into_postgres(postgres_server, tmp_path):
    """The batch runner writes a PostgreSQL store like a SQLite one (fake pipeline, one writer)."""
    import io
    import json

    from test_batch import FakePipeline, corpus_lines

    from sitrep.batch import run_batch
    from sitrep.ingest import read_inputs

    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(corpus_lines(25, bad_every=10)) + "\n", encoding="utf-8")
    counts = []
    for url in (postgres_server.new_database(), str(tmp_path / "events.db")):
        for _ in range(2):  # twice: the second run adds nothing
            with open_store(url) as store:
                run_batch(read_inputs([str(path)]), lambda r: None, store=store, err=io.StringIO(),
                          pipeline=FakePipeline(), workers=2, commit_documents=4)
                counts.append((store.stats(), json.dumps(sorted(r["event_id"] for r in store.iter_events()))))
    assert counts[0] == counts[1] == counts[2] == counts[3]
    assert counts[0][0] == {"articles": 25, "events": 30, "failures": 4}

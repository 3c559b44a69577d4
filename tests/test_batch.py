"""The batch runner without the real NLP: a small deterministic fake pipeline (also used by
test_crash_resume and test_dask, through SITREP_PIPELINE=test_batch:FakePipeline) drives run_batch and
process_stream: order, parallel == serial, failures that never stop a batch, worker crashes, stores."""
from __future__ import annotations

import io
import json
import os
import re
import time

import pytest

from sitrep.batch import CRASHED, BatchSummary, process_stream, run_batch
from sitrep.ingest import make_article, read_inputs
from sitrep.model import Article, Event, EventReport, Failure, Fatalities
from sitrep.pipeline import DocResult
from sitrep.progress import Progress
from sitrep.store import open_store

_KILLED = re.compile(r"\b(\w+) (?:people|villagers|soldiers|civilians) were killed in (\w+)")
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


class FakePipeline:
    """Stands in for sitrep.pipeline.Pipeline: one event per "N people were killed in PLACE" sentence.

    Texts containing "EXPLODE" raise inside processing; "CRASH" kills the worker process outright.
    SITREP_FAKE_DELAY (seconds) slows each document down, for the kill-mid-batch tests.
    """

    def __init__(self) -> None:
        self.delay = float(os.environ.get("SITREP_FAKE_DELAY", "0"))

    def process(self, article: Article) -> DocResult:
        if self.delay:
            time.sleep(self.delay)
        if "EXPLODE" in article.text:
            raise RuntimeError("the analyzer tripped over this one")
        if "CRASH" in article.text:
            os._exit(17)  # a segfault in a C extension looks like this to the parent
        events = []
        for i, m in enumerate(_KILLED.finditer(article.text)):
            trig = article.span(m.start(), m.end())
            report = EventReport(article_id=article.id, document_id=article.document_id,
                                 event_type="Violence against civilians", sub_event_type="Attack", trigger=trig,
                                 evidence=[trig])
            n = _NUMBERS.get(m.group(1).lower(), 0)
            events.append(Event(
                event_id=f"{article.id}-{i}", reports=[report], event_type="Violence against civilians",
                sub_event_type="Attack", actor1=None, assoc_actor_1=[], actor2=None, assoc_actor_2=[],
                location=None, geo_precision=3, date=article.published, date_end=None, time_precision=1,
                fatalities=Fatalities(best=n, known=bool(n)), claims=[], background=False, confidence=0.5,
                notes=f"{n} killed in {m.group(2)}"))
        return DocResult(article=article, events=events)


PLACES = ["Gao", "Kidal", "Mopti", "Sevare", "Tessit", "Menaka", "Timbuktu", "Djenne"]


def report_text(i: int) -> str:
    n = list(_NUMBERS)[i % len(_NUMBERS)]
    place = PLACES[i % len(PLACES)]
    other = PLACES[(i * 3 + 1) % len(PLACES)]
    text = (f"Report {i}: {n.capitalize()} villagers were killed in {place} on Sunday, local officials said. "
            f"Residents said gunmen on motorcycles arrived at dawn.")
    if i % 5 == 0:
        text += f" Separately, three soldiers were killed in {other} when their convoy was ambushed."
    return text


def corpus_lines(n: int, bad_every: int = 0) -> list[str]:
    """JSONL lines: reports, plus (every ``bad_every``) a line that is not JSON and one without text."""
    lines = []
    for i in range(n):
        lines.append(json.dumps({"id": f"r{i}", "text": report_text(i), "published": "2026-03-15"}))
        if bad_every and i % bad_every == bad_every - 1:
            lines.append("{this is not json")
            lines.append(json.dumps({"id": f"x{i}", "title": "headline only"}))
    return lines


def articles(n: int) -> list[Article]:
    return [make_article(report_text(i), published="2026-03-15", document_id=f"r{i}", input_name="mem",
                         line=i + 1) for i in range(n)]


def event_keys(results) -> list[tuple]:
    return [(r.article.document_id, e.event_id, e.fatalities.best, e.notes)
            for r in results if isinstance(r, DocResult) for e in r.events]


# -- process_stream ---------------------------------------------------------------------------------

def test_serial_stream_keeps_order_and_turns_exceptions_into_failures():
    items = articles(6)
    items.insert(2, make_article("EXPLODE in the analyzer", document_id="bad", input_name="in.jsonl", line=9))
    items.insert(4, Failure("in.jsonl", "not valid JSON", 11))
    out = list(process_stream(items, pipeline=FakePipeline()))
    assert len(out) == 8
    assert isinstance(out[2], Failure) and out[2].input_name == "in.jsonl" and out[2].line == 9
    assert "RuntimeError" in out[2].reason and "tripped" in out[2].reason
    assert out[4] == Failure("in.jsonl", "not valid JSON", 11)
    docs = [r.article.document_id for r in out if isinstance(r, DocResult)]
    assert docs == [f"r{i}" for i in range(6)]


def test_two_workers_give_the_same_results_in_the_same_order():
    items = articles(57)  # not a multiple of the chunk size
    items.insert(13, make_article("EXPLODE here", input_name="odd.txt"))
    serial = list(process_stream(items, pipeline=FakePipeline()))
    parallel = list(process_stream(items, workers=2, pipeline=FakePipeline()))
    assert event_keys(parallel) == event_keys(serial)
    assert [type(r) for r in parallel] == [type(r) for r in serial]
    assert len(event_keys(serial)) == 57 + 12  # one event each, two in every fifth


def test_worker_crash_loses_no_other_document():
    items = articles(40)
    items.insert(17, make_article("CRASH goes the C extension", document_id="crasher", input_name="c.jsonl",
                                  line=5))
    out = list(process_stream(items, workers=2, pipeline=FakePipeline()))
    assert len(out) == 41
    crashed = [r for r in out if isinstance(r, Failure)]
    assert crashed == [Failure("c.jsonl", CRASHED, 5)]
    assert isinstance(out[17], Failure)
    assert event_keys(out) == event_keys(list(process_stream(articles(40), pipeline=FakePipeline())))


def test_stream_is_lazy_and_bounded():
    pulled = []

    def source():
        for i, art in enumerate(articles(400)):
            pulled.append(i)
            yield art

    stream = process_stream(source(), workers=2, pipeline=FakePipeline())
    first = next(stream)
    assert isinstance(first, DocResult)
    assert len(pulled) < 100  # a bounded window read ahead, not the whole input
    stream.close()


# -- run_batch ----------------------------------------------------------------------------------------

def test_run_batch_reads_failures_to_stderr_and_keeps_going(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(corpus_lines(20, bad_every=7)) + "\n", encoding="utf-8")
    err = io.StringIO()
    seen = []
    summary = run_batch(read_inputs([str(path)]), seen.append, err=err, pipeline=FakePipeline())
    assert summary.documents == 20 and len(seen) == 20
    assert summary.events == 20 + 4
    assert len(summary.failures) == 4  # two bad lines after r6 and after r13
    assert {f.line for f in summary.failures} == {8, 9, 17, 18}
    lines = err.getvalue().splitlines()
    assert len(lines) == 4 and all(ln.startswith(f"sitrep: skipped {path}:") for ln in lines)
    assert "\r" not in err.getvalue()  # not a terminal: no progress bar
    assert summary.exit_status() == 1


def test_run_batch_with_store_is_idempotent_and_counts_skips(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = corpus_lines(30, bad_every=10)
    lines.append(json.dumps({"id": "again", "text": report_text(3)}))  # same text as r3: stored once
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(tmp_path / "events.db")
    with open_store(db) as store:
        first = run_batch(read_inputs([str(path)]), lambda r: None, store=store, err=io.StringIO(),
                          pipeline=FakePipeline(), workers=2, commit_documents=7)
        stats = store.stats()
    assert (first.documents, first.skipped, len(first.failures)) == (30, 1, 6)
    assert stats == {"articles": 30, "events": 36, "failures": 6}
    emitted = []
    with open_store(db) as store:
        second = run_batch(read_inputs([str(path)]), emitted.append, store=store, err=io.StringIO(),
                           pipeline=FakePipeline())
        assert store.stats() == stats
    assert (second.documents, second.skipped, len(second.failures)) == (0, 31, 6)
    assert emitted == []
    assert second.exit_status() == 1


def test_progress_bar_when_forced():
    err = io.StringIO()
    summary = run_batch(articles(12), lambda r: None, err=err, pipeline=FakePipeline(), progress=True, total=12)
    assert summary.documents == 12
    assert "0/12" in err.getvalue() and "doc" in err.getvalue()  # a bar was drawn (and cleared at the end)


def test_progress_counts_and_messages():
    err = io.StringIO()
    with Progress(err, total=4, enabled=True, min_interval=0) as bar:
        bar.update(documents=1, events=3)
        bar.write("sitrep: skipped x.txt: empty document (no text)")
        bar.update(failures=1)
    out = err.getvalue()
    assert "events=3" in out and "failures=1" in out and "2/4" in out
    assert "sitrep: skipped x.txt: empty document (no text)\n" in out
    quiet = io.StringIO()
    with Progress(quiet) as bar:  # a StringIO is not a terminal: no bar, messages as plain lines
        bar.update(documents=5)
        bar.write("hello")
    assert quiet.getvalue() == "hello\n" and bar.documents == 5


def test_exit_status():
    assert BatchSummary(documents=3).exit_status() == 0
    assert BatchSummary(documents=3, failures=[Failure("a", "b")]).exit_status() == 1
    assert BatchSummary(failures=[Failure("a", "b")]).exit_status() == 2


def test_unknown_engine_is_a_usage_error():
    from sitrep.errors import UsageError

    with pytest.raises(UsageError):
        list(process_stream(articles(1), pipeline=FakePipeline(), engine="spark"))

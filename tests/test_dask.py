"""--engine dask: a real dask.distributed LocalCluster (2 single-threaded worker processes) gives the same
results, in the same order, as the local engine with one and with two workers; a document that kills a
dask worker becomes a Failure and loses no other document; the store is written by the client alone."""
from __future__ import annotations

import io
import os
import pathlib

import pytest
from test_batch import FakePipeline, articles, corpus_lines, event_keys

from sitrep.batch import CRASHED, dask_client, process_stream, run_batch
from sitrep.ingest import make_article, read_inputs
from sitrep.model import Failure
from sitrep.store import open_store

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")

TESTS = str(pathlib.Path(__file__).resolve().parent)


@pytest.fixture(scope="module")
def client():
    import dask

    # the workers import test_batch (the fake pipeline) by name; a crashed task is not retried
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [TESTS, os.environ.get("PYTHONPATH", "")] if p)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), dask_client(workers=2) as c:
        yield c


def test_dask_equals_local_one_and_two_workers(client, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(corpus_lines(90, bad_every=30)) + "\n", encoding="utf-8")

    def run(**kw):
        return list(process_stream(read_inputs([str(path)]), pipeline=FakePipeline(), **kw))

    one = run()
    two = run(workers=2)
    on_dask = run(engine="dask", client=client)
    assert len(client.scheduler_info()["workers"]) == 2
    assert event_keys(on_dask) == event_keys(one) == event_keys(two)
    assert len(event_keys(one)) == 90 + 18
    fails = [(f.line, f.reason) for f in on_dask if isinstance(f, Failure)]
    assert fails == [(f.line, f.reason) for f in one if isinstance(f, Failure)] and len(fails) == 6


def test_dask_worker_crash_loses_nothing_else(client):
    items = articles(30)
    items.insert(11, make_article("CRASH in a C extension", document_id="crasher", input_name="c.jsonl",
                                  line=12))
    out = list(process_stream(items, pipeline=FakePipeline(), engine="dask", client=client))
    assert len(out) == 31
    assert out[11] == Failure("c.jsonl", CRASHED, 12)
    assert event_keys(out) == event_keys(list(process_stream(articles(30), pipeline=FakePipeline())))


def test_dask_run_batch_into_store_matches_local(client, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(corpus_lines(40, bad_every=20)) + "\n", encoding="utf-8")
    stats = []
    for name, kw in (("local", {}), ("dask", {"engine": "dask", "client": client})):
        with open_store(str(tmp_path / f"{name}.db")) as store:
            run_batch(read_inputs([str(path)]), lambda r: None, store=store, err=io.StringIO(),
                      pipeline=FakePipeline(), **kw)
            stats.append((store.stats(), sorted(r["event_id"] for r in store.iter_events())))
    assert stats[0] == stats[1]
    assert stats[0][0] == {"articles": 40, "events": 48, "failures": 4}


def test_real_pipeline_dask_equals_local(client, tmp_path):
    try:
        from sitrep.pipeline import Pipeline

        pipe = Pipeline()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"sitrep.pipeline.Pipeline() cannot be built yet: {type(exc).__name__}: {exc}")
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(corpus_lines(24)) + "\n", encoding="utf-8")

    def keys(results):
        return [(r.article.document_id, e.event_id, e.event_type, e.sub_event_type, e.fatalities.best)
                for r in results if not isinstance(r, Failure) for e in r.events]

    local = keys(process_stream(read_inputs([str(path)], published="2026-03-16"), pipeline=pipe))
    two = keys(process_stream(read_inputs([str(path)], published="2026-03-16"), workers=2, pipeline=pipe))
    # pipeline=None: each dask worker builds its own Pipeline once (the worker plugin)
    on_dask = keys(process_stream(read_inputs([str(path)], published="2026-03-16"), engine="dask",
                                  client=client))
    assert local, "the real pipeline found no events in the test reports"
    assert on_dask == local == two


def test_cli_engine_dask_stores_what_the_local_engine_stores(tmp_path):
    import json
    import subprocess
    import sys

    from test_crash_resume import ROOT, env_for

    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(corpus_lines(30, bad_every=15)) + "\n", encoding="utf-8")
    outputs, stats = [], []
    for name, extra in (("local", []), ("dask", ["--engine", "dask", "--workers", "2"])):
        db, out = tmp_path / f"{name}.db", tmp_path / f"{name}.jsonl"
        r = subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", str(path), "--db", str(db),
                            "--output", str(out), *extra], env=env_for(fake=True), cwd=ROOT, check=False,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 1, r.stderr[-2000:]
        assert r.stderr.splitlines()[-1] == "sitrep: 30 documents, 36 events, 4 failures", r.stderr[-2000:]
        outputs.append(out.read_text())
        s = subprocess.run([sys.executable, "-m", "sitrep.cli", "stats", "--db", str(db)], cwd=ROOT, check=False,
                           capture_output=True, text=True, timeout=60)
        stats.append(json.loads(s.stdout))
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 36  # same events, same order
    assert stats[0] == stats[1] == {"articles": 30, "events": 36, "failures": 4}

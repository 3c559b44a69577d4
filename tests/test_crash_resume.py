"""Kill a real `sitrep extract --db` process with SIGKILL mid-batch, run it again, and find exactly what
an uninterrupted run stores: the same articles, events and failures, none lost, none doubled.

Two pipelines: the fake one of test_batch (SITREP_PIPELINE=test_batch:FakePipeline, slowed down so the
kill lands mid-batch; always runs) and the real sitrep Pipeline (skipped while it cannot be built)."""
from __future__ import annotations

import json
import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from test_batch import corpus_lines

ROOT = pathlib.Path(__file__).resolve().parent.parent
TESTS = pathlib.Path(__file__).resolve().parent


def real_pipeline_or_skip() -> None:
    try:
        from sitrep.pipeline import Pipeline

        Pipeline()
    except Exception as exc:  # noqa: BLE001 -- any reason the NLP stages are not ready yet
        pytest.skip(f"sitrep.pipeline.Pipeline() cannot be built yet: {type(exc).__name__}: {exc}")


def extract_cmd(corpus: pathlib.Path, db: pathlib.Path, out: pathlib.Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitrep.cli", "extract", str(corpus), "--published", "2026-03-16",
            "--db", str(db), "--output", str(out), *extra]


def env_for(fake: bool, delay: float = 0.0) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SITREP_PIPELINE", None)
    if fake:
        env["SITREP_PIPELINE"] = "test_batch:FakePipeline"
        env["SITREP_FAKE_DELAY"] = str(delay)
        env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(ROOT), env.get("PYTHONPATH", "")])
    return env


def committed_articles(db: pathlib.Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def snapshot(db: pathlib.Path) -> dict:
    """Everything stored, as comparable sets, plus the raw counts (duplicates would show there)."""
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT id, document_id, line FROM articles").fetchall()
        events = conn.execute("SELECT event_id, article_id, record FROM events").fetchall()
        failures = conn.execute("SELECT input_name, line, reason FROM failures").fetchall()
        n = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("articles", "events", "reports", "claims", "spans", "failures")}
    return {"articles": set(articles), "events": {(e, a, json.loads(r)["notes"]) for e, a, r in events},
            "failures": set(failures), "counts": n}


def kill_mid_batch(cmd: list[str], env: dict[str, str], db: pathlib.Path, total: int) -> int:
    """Start the run, SIGKILL it once some (not all) articles are committed; the count at the kill."""
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if committed_articles(db) > 0:
                os.killpg(proc.pid, signal.SIGKILL)  # the process and any worker processes it started
                break
            time.sleep(0.02)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, (
        f"the run ended before it could be killed (status {proc.returncode}): {proc.stderr.read()[-2000:]}")
    return committed_articles(db)


def crash_and_resume(tmp_path: pathlib.Path, n: int, fake: bool, delay: float, extra: tuple[str, ...] = (),
                     third_run: bool = True) -> None:
    corpus = tmp_path / "reports.jsonl"
    corpus.write_text("\n".join(corpus_lines(n, bad_every=40)) + "\n", encoding="utf-8")
    env = env_for(fake, delay)
    clean_db, crash_db = tmp_path / "clean.db", tmp_path / "crash.db"

    clean = subprocess.run(extract_cmd(corpus, clean_db, tmp_path / "clean.jsonl", *extra), env=env_for(fake),
                           cwd=ROOT, check=False, capture_output=True, text=True, timeout=600)
    assert clean.returncode == 1, clean.stderr[-2000:]  # the bad lines are failures, the rest is processed
    expected = snapshot(clean_db)
    assert expected["events"], "the uninterrupted run found no events at all"
    assert len(expected["articles"]) == n and expected["counts"]["failures"] == 2 * (n // 40)

    at_kill = kill_mid_batch(extract_cmd(corpus, crash_db, tmp_path / "crash.jsonl", *extra), env, crash_db, n)
    assert 0 < at_kill < n
    partial = snapshot(crash_db)
    # what survived the kill is whole: every stored article has exactly its events, nothing else
    assert partial["articles"] <= expected["articles"]
    stored = {a for a, _doc, _line in partial["articles"]}
    assert partial["events"] == {e for e in expected["events"] if e[1] in stored}

    rerun = subprocess.run(extract_cmd(corpus, crash_db, tmp_path / "rerun.jsonl", *extra), env=env_for(fake),
                           cwd=ROOT, check=False, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 1, rerun.stderr[-2000:]
    assert f"{at_kill} already stored" in rerun.stderr.splitlines()[-1]
    assert snapshot(crash_db) == expected
    if not third_run:
        return

    again = subprocess.run(extract_cmd(corpus, crash_db, tmp_path / "again.jsonl", *extra), env=env_for(fake),
                           cwd=ROOT, check=False, capture_output=True, text=True, timeout=600)
    assert again.returncode == 1
    assert (tmp_path / "again.jsonl").read_text() == ""  # nothing new to emit
    assert snapshot(crash_db) == expected


def test_sigkill_then_rerun_equals_uninterrupted_run_fake_pipeline(tmp_path):
    crash_and_resume(tmp_path, 300, fake=True, delay=0.01)


def test_sigkill_with_two_workers_then_rerun(tmp_path):
    crash_and_resume(tmp_path, 300, fake=True, delay=0.02, extra=("--workers", "2"))


def test_sigkill_then_rerun_equals_uninterrupted_run_real_pipeline(tmp_path):
    real_pipeline_or_skip()
    crash_and_resume(tmp_path, 400, fake=False, delay=0.0, third_run=False)

"""The command line end to end: formats, stores, bad input and exit codes, on inputs written here."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-report.txt"

REPORT = """Gunmen kill nine villagers in northwest Nigeria

Gunmen killed nine villagers in an attack on the village of Kaura Namoda in Zamfara state on Tuesday, police said.

The attackers arrived on motorcycles and opened fire on residents, a police spokesman told reporters.
"""


def sitrep(*args, stdin: str | None = None, cwd=None):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd or ROOT, env=env, timeout=600)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    (d / "good.txt").write_text(REPORT, encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "latin1.txt").write_bytes("Caf\xe9 bombing in the town".encode("latin-1") + b"\n")
    (d / "notext.html").write_text("<html><head><title>x</title></head><body><div></div></body></html>")
    lines = [json.dumps({"id": "n1", "text": REPORT + "\nThe state governor condemned the attack.",
                         "published": "2026-05-07"}), "{not json",
             json.dumps({"id": "n3", "title": "no text here"}),
             json.dumps({"id": "n4", "text": "Police arrested 12 protesters in Lagos on Monday.",
                         "published": "2026-05-05"})]
    (d / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_demo_report_table_shows_events():
    r = sitrep("extract", str(DEMO), "--published", "2026-03-15", "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "Battles" in r.stdout and "Sake" in r.stdout
    assert "event(s)" in r.stdout


def test_jsonl_events_carry_document_id_and_fields(inputs):
    r = sitrep("extract", str(inputs / "good.txt"), "--published", "2026-05-07")
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert recs, r.stderr
    ev = recs[0]
    for key in ("event_id", "document_id", "event_type", "sub_event_type", "actor1", "latitude", "event_date",
                "time_precision", "fatalities", "claims", "evidence", "notes"):
        assert key in ev
    assert ev["event_type"] == "Violence against civilians"
    assert ev["fatalities"] == 9
    assert ev["event_date"] == "2026-05-05"  # Tuesday before publication
    assert ev["country"] == "Nigeria"


def test_bad_inputs_each_give_one_named_stderr_line_and_good_ones_still_processed(inputs):
    r = sitrep("extract", str(inputs), "--published", "2026-05-07")
    assert r.returncode == 1, r.stderr  # some inputs failed, others processed
    err = r.stderr.splitlines()
    def lines_for(name):
        return [ln for ln in err if name in ln]
    for name in ("binary.txt", "empty.txt", "latin1.txt", "notext.html"):
        assert len(lines_for(name)) == 1, (name, err)
    assert len(lines_for("batch.jsonl:2")) == 1, err
    assert len(lines_for("batch.jsonl:3")) == 1, err
    assert "UTF-8" in lines_for("latin1.txt")[0] or "utf-8" in lines_for("latin1.txt")[0].lower()
    docs = {json.loads(line)["document_id"] for line in r.stdout.splitlines()}
    assert "n1" in docs and "n4" in docs
    assert any(d.endswith("good.txt") for d in docs)


def test_nothing_readable_exits_2(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    r = sitrep("extract", str(tmp_path / "empty.txt"))
    assert r.returncode == 2
    assert "empty.txt" in r.stderr


def test_usage_error_exits_2():
    r = sitrep("extract", "x.txt", "--published", "yesterday")
    assert r.returncode == 2


def test_stdin_and_csv(inputs):
    r = sitrep("extract", "-", "--published", "2026-05-07", "--format", "csv", stdin=REPORT)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and rows[0]["sub_event_type"] == "Attack"
    assert {"event_date", "actor1", "assoc_actor_1", "latitude", "geo_precision"} <= set(rows[0])


def test_geojson_is_a_feature_collection_of_points(inputs):
    r = sitrep("extract", str(DEMO), "--published", "2026-03-15", "--format", "geojson")
    assert r.returncode == 0, r.stderr
    fc = json.loads(r.stdout)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    for f in fc["features"]:
        assert f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert "sub_event_type" in f["properties"]


def test_db_is_idempotent_and_stats_counts(inputs, tmp_path):
    db = tmp_path / "events.db"
    first = sitrep("extract", str(inputs), "--published", "2026-05-07", "--db", str(db))
    stats1 = json.loads(sitrep("stats", "--db", str(db)).stdout)
    second = sitrep("extract", str(inputs), "--published", "2026-05-07", "--db", str(db))
    stats2 = json.loads(sitrep("stats", "--db", str(db)).stdout)
    assert first.returncode == 1 and second.returncode == 1
    assert stats1 == stats2
    # good.txt and n1 tell the same attack: one event with two reports in the store
    assert stats1["articles"] == 3 and stats1["events"] >= 2
    assert stats1["failures"] == 6
    assert "already stored" in second.stderr


def test_places_lines(inputs):
    r = sitrep("places", str(inputs / "good.txt"))
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    names = {x["text"] for x in recs}
    assert "Kaura Namoda" in names
    kn = next(x for x in recs if x["text"] == "Kaura Namoda")
    assert kn["country_code"] == "NG" and kn["role"] == "event location"
    assert {"start", "end", "latitude", "longitude", "admin1", "geonameid", "role"} <= set(kn)

#!/usr/bin/env python3
"""Place recognition + resolution on GeoWebNews: writes bench/results/places.jsonl (not committed), scores it, times it.

  .venv/bin/python bench/geo.py [INPUT.jsonl] [--out bench/results/places.jsonl] [--stage-only]

INPUT defaults to ../shared/data/geowebnews-dev.jsonl (records {id, text, gold}); the gold is only
read by the scorer.  The places written are those ``sitrep places`` gives (the whole analyzer, so that
places inside actor names are judged as the pipeline judges them, demonyms as their country).  Timing is
of place work alone (the place matcher and place resolution, one process): pass the ACLED notes as INPUT
for the notes/s figure.  --stage-only writes the place-only stage's mentions instead (no actor matcher).
"""
from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def _import():
    try:
        import sitrep.resolve  # noqa: F401
    except ImportError:  # the resolve package's own __init__ may depend on unfinished stages
        import types

        mod = types.ModuleType("sitrep.resolve")
        mod.__path__ = [str(ROOT / "sitrep" / "resolve")]
        sys.modules["sitrep.resolve"] = mod
    from sitrep.nlp import Analyzer
    from sitrep.nlp.places import PlaceMatcher
    from sitrep.resolve.gazetteer import Gazetteer
    from sitrep.resolve.places import resolve_places
    return Analyzer, PlaceMatcher, Gazetteer, resolve_places


def make_article(rec):
    try:
        from sitrep.ingest import make_article as mk
        return mk(rec["text"], title=rec.get("title"), document_id=str(rec["id"]))
    except ImportError:
        from sitrep.model import Article
        return Article(id=str(rec["id"]), text=rec["text"], document_id=str(rec["id"]))


def _pipeline_rows(recs) -> list[dict]:
    """What ``sitrep places`` writes for each record (the whole analyzer, then place resolution)."""
    from sitrep.export import place_record
    from sitrep.pipeline import Pipeline

    pipe = Pipeline()
    rows = []
    for rec in recs:
        art = make_article(rec)
        if art.text != rec["text"]:
            from sitrep.model import Article
            art = Article(id=str(rec["id"]), text=rec["text"], document_id=str(rec["id"]))
        for pm in pipe.resolver.places(pipe.analyzer.analyze(art)):
            rows.append(place_record(str(rec["id"]), pm))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(SHARED / "data" / "geowebnews-dev.jsonl"))
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "places.jsonl"))
    ap.add_argument("--stage-only", action="store_true")
    ap.add_argument("--demonyms", action="store_true", help="with --stage-only: demonyms as their country")
    a = ap.parse_args(argv)
    Analyzer, PlaceMatcher, Gazetteer, resolve_places = _import()
    t0 = time.perf_counter()
    g = Gazetteer.load()
    t_load = time.perf_counter() - t0
    analyzer = Analyzer([PlaceMatcher(g)])
    recs = [json.loads(line) for line in open(a.input, encoding="utf-8") if line.strip()]
    n_ment = 0
    t1 = time.perf_counter()
    stage_out = a.out if a.stage_only else a.out + ".stage"
    with open(stage_out, "w", encoding="utf-8") as out:
        for rec in recs:
            art = make_article(rec)
            if art.text != rec["text"]:  # offsets must refer to the input text
                from sitrep.model import Article
                art = Article(id=str(rec["id"]), text=rec["text"], document_id=str(rec["id"]))
            doc = analyzer.analyze(art)
            rows = []
            for pm in resolve_places(doc, g):
                p = pm.place
                rows.append({"document_id": str(rec["id"]), "start": pm.span.start, "end": pm.span.end,
                             "text": pm.span.text, "name": p.name if p else None,
                             "latitude": p.lat if p else None, "longitude": p.lon if p else None,
                             "country_code": p.country_code if p else None, "admin1": p.admin1 if p else None,
                             "admin2": p.admin2 if p else None, "feature_code": p.feature_code if p else None,
                             "geonameid": p.geonameid if p else None, "population": p.population if p else 0,
                             "role": pm.role})
            if a.demonyms:
                for m in doc.of_kind("demonym"):
                    region = m.attrs.get("region")
                    c = g.country(m.key) if m.key else (g.lookup(region) or [None])[0] if region else None
                    if c:
                        rows.append({"document_id": str(rec["id"]), "start": m.start, "end": m.end, "text": m.text,
                                     "name": c.name, "latitude": c.lat, "longitude": c.lon,
                                     "country_code": c.country_code, "admin1": None, "admin2": None,
                                     "feature_code": "PCLI", "geonameid": c.geonameid,
                                     "population": c.population, "role": "other"})
            rows.sort(key=lambda r: r["start"])
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
            n_ment += len(rows)
    dt = time.perf_counter() - t1
    print(f"gazetteer load {t_load:.2f}s; place work alone: {len(recs)} docs, {n_ment} mentions in {dt:.2f}s: "
          f"{len(recs) / dt:.1f} docs/s, {n_ment / dt:.0f} mentions/s", file=sys.stderr)
    if not a.stage_only:
        with open(a.out, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in _pipeline_rows(recs))
        pathlib.Path(stage_out).unlink(missing_ok=True)
    score = SHARED / "tools" / "score.py"
    # only a set with gold toponyms (GeoWebNews) is scored; the ACLED notes are passed for the speed figure
    if score.exists() and all("toponyms" in (r.get("gold") or {}) for r in recs[:5]):
        subprocess.run([sys.executable, str(score), "geo", a.input, a.out], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

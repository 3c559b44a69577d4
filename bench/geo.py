#!/usr/bin/env python3
"""Place recognition + resolution on GeoWebNews: writes PLACES.jsonl, scores it, times it.

  .venv/bin/python bench/geo.py [INPUT.jsonl] [--out PLACES.jsonl] [--demonyms]

INPUT defaults to ../shared/data/geowebnews-dev.jsonl (records {id, text, gold}); the gold is only
read by the scorer.  --demonyms also writes demonym mentions (as their country), which GeoWebNews counts
as toponyms of type Non_Literal_Modifier.
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(SHARED / "data" / "geowebnews-dev.jsonl"))
    ap.add_argument("--out", default="PLACES.jsonl")
    ap.add_argument("--demonyms", action="store_true")
    a = ap.parse_args(argv)
    Analyzer, PlaceMatcher, Gazetteer, resolve_places = _import()
    t0 = time.perf_counter()
    g = Gazetteer.load()
    t_load = time.perf_counter() - t0
    analyzer = Analyzer([PlaceMatcher(g)])
    recs = [json.loads(line) for line in open(a.input, encoding="utf-8") if line.strip()]
    n_ment = 0
    t1 = time.perf_counter()
    with open(a.out, "w", encoding="utf-8") as out:
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
    print(f"gazetteer load {t_load:.2f}s; {len(recs)} docs, {n_ment} mentions in {dt:.2f}s: "
          f"{len(recs) / dt:.1f} docs/s, {n_ment / dt:.0f} mentions/s", file=sys.stderr)
    score = SHARED / "tools" / "score.py"
    if score.exists():
        subprocess.run([sys.executable, str(score), "geo", a.input, a.out], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Runs sitrep on the whole-document test articles and scores them with ../shared/tools/score.py ``docs``.

    .venv/bin/python bench/docs_eval.py [--gold tests/data/docs/gold.json] [--results bench/results/docs-events.jsonl]
                                        [--shared ../shared] [--verbose]

Each article is ``<docs dir>/<id>.txt``; its ``document_id`` is the file stem and its publication date comes
from the gold.  Events go to ``--results`` (JSONL); the scorer's figures are printed, and with ``--verbose``
every missed required event and every must_not violation is listed with what sitrep emitted instead.
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.export import event_record  # noqa: E402
from sitrep.pipeline import Pipeline  # noqa: E402

DEFAULT_GOLD = ROOT / "tests" / "data" / "docs" / "gold.json"
DEFAULT_RESULTS = ROOT / "bench" / "results" / "docs-events.jsonl"


def km(lat1: float | None, lon1: float | None, lat2: float, lon2: float) -> float:
    """Great-circle km (the gazetteer's haversine); no coordinates -> infinitely far."""
    from sitrep.resolve.gazetteer import haversine

    return math.inf if lat1 is None or lon1 is None else haversine(lat1, lon1, lat2, lon2)


def run_docs(pipe: Pipeline, gold: dict, docs_dir: pathlib.Path) -> dict[str, list[dict]]:
    """Event records per document id, in gold order."""
    out: dict[str, list[dict]] = {}
    for doc in gold["docs"]:
        text = (docs_dir / f"{doc['id']}.txt").read_text(encoding="utf-8")
        article = pipe.article(text, published=doc["published"], document_id=doc["id"])
        out[doc["id"]] = [event_record(ev) for ev in pipe.process(article).events]
    return out


def write_events(records: dict[str, list[dict]], path: pathlib.Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for recs in records.values():
            f.writelines(json.dumps(rec, ensure_ascii=False) + "\n" for rec in recs)


def score(shared: pathlib.Path, gold_path: pathlib.Path, events_path: pathlib.Path) -> dict:
    out = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), "docs", str(gold_path),
                          str(events_path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def brief(rec: dict) -> str:
    return (f"{rec['sub_event_type']} @ {rec['location']} ({rec['latitude']}, {rec['longitude']}) "
            f"{rec['event_date']}{' bg' if rec['background'] else ''} fat={rec['fatalities']}")


def explain(gold: dict, records: dict[str, list[dict]]) -> None:
    """Per document: each required event's verdict, each must_not violation, everything emitted."""
    for doc in gold["docs"]:
        recs = records.get(doc["id"], [])
        print(f"\n== {doc['id']} ({len(recs)} events)")
        for g in doc["events"]:
            if not g["required"]:
                continue
            near = [r for r in recs if km(r["latitude"], r["longitude"], g["lat"], g["lon"]) <= 25]
            hit = [r for r in near if r["sub_event_type"] in g["sub"] and r["event_date"] in g["dates"]]
            verdict = "ok " if hit else "MISS"
            fat = ""
            if hit and "fatalities" in g and not any(r["fatalities"] in g["fatalities"] for r in hit):
                fat = f"  fatalities {[r['fatalities'] for r in hit]} want {g['fatalities']}"
            print(f"  {verdict} {g['id']} {g['sub'][0]} {g['dates'][0]}{fat}")
            if not hit:
                for r in near:
                    print(f"       near: {brief(r)}")
        for m in doc.get("must_not", []):
            for r in recs:
                if not r["background"] and km(r["latitude"], r["longitude"], m["lat"], m["lon"]) <= 25:
                    print(f"  VIOLATION {m['why']}: {brief(r)}")
        for r in recs:
            print(f"    emitted: {brief(r)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=pathlib.Path, default=DEFAULT_GOLD)
    ap.add_argument("--results", type=pathlib.Path, default=DEFAULT_RESULTS, help="events JSONL to write")
    ap.add_argument("--shared", type=pathlib.Path, default=ROOT.parent / "shared")
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses, violations and emitted events")
    args = ap.parse_args(argv)
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    records = run_docs(Pipeline(), gold, args.gold.parent)
    write_events(records, args.results)
    if args.verbose:
        explain(gold, records)
    figures = score(args.shared, args.gold, args.results)
    print(f"\nrequired_found {figures['required_found']}/{figures['required']}  "
          f"must_not_violations {figures['must_not_violations']}  "
          f"events_emitted {figures['events_emitted']} (required {figures['required']})  "
          f"fatalities_right {figures['fatalities_right']}/{figures['fatalities_checked']}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

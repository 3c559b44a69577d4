#!/usr/bin/env python3
"""Scores sitrep on the gold seed and the development sets in ../shared, with ../shared/tools/score.py.

    .venv/bin/python bench/evaluate.py [--shared ../shared] [--limit N] [--only seed,acled,geo]

Writes each run's raw output to bench/results/<set>.jsonl (not committed), the figures to
bench/results/<set>.json, and prints one table.  The data in ../shared measures; it is never copied here.
"""
from __future__ import annotations

import argparse
import itertools
import json
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.export import event_record, place_record  # noqa: E402
from sitrep.ingest import read_inputs  # noqa: E402
from sitrep.model import Failure  # noqa: E402
from sitrep.pipeline import Pipeline  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def score(shared: pathlib.Path, *args: str) -> dict:
    out = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), *args], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(pipe: Pipeline, inputs, out_events: pathlib.Path, out_places: pathlib.Path | None = None,
        published=None, limit: int | None = None) -> tuple[int, int, float]:
    t0 = time.perf_counter()
    docs = fails = 0
    items = read_inputs([str(i) for i in inputs], published=published)
    if limit:
        items = itertools.islice(items, limit)
    with open(out_events, "w", encoding="utf-8") as fe, \
            (open(out_places, "w", encoding="utf-8") if out_places else open("/dev/null", "w")) as fp:
        for res in pipe.process_many(items):
            if isinstance(res, Failure):
                fails += 1
                print(f"  failure: {res.describe()}", file=sys.stderr)
                continue
            docs += 1
            for ev in res.events:
                fe.write(json.dumps(event_record(ev), ensure_ascii=False) + "\n")
            if out_places:
                did = res.article.document_id or res.article.id
                for pm in res.places:
                    fp.write(json.dumps(place_record(did, pm), ensure_ascii=False) + "\n")
    return docs, fails, time.perf_counter() - t0


def align(raw: str, norm: str) -> list[int]:
    """Offsets in ``norm`` (ingest's normalized text) mapped back to ``raw``, the input as given.

    Normalization only drops or replaces whitespace and control characters (and composes a few accented
    letters), so a two-pointer walk that skips what was dropped recovers every kept character's place.
    """
    out, i = [], 0
    for ch in norm:
        while i < len(raw) and raw[i] != ch and (raw[i].isspace() or not raw[i].isprintable() or ch.isspace()):
            if ch.isspace() and raw[i].isspace():
                break
            i += 1
        out.append(min(i, len(raw)))
        i += 1
    out.append(len(raw))
    return out


def run_places(pipe: Pipeline, inp: pathlib.Path, out_places: pathlib.Path) -> float:
    """Place mentions of every record, with offsets into the record's own text (the gold's frame)."""
    from sitrep.ingest import make_article

    t0 = time.perf_counter()
    with open(inp, encoding="utf-8") as f, open(out_places, "w", encoding="utf-8") as fp:
        for line in f:
            rec = json.loads(line)
            art = make_article(rec["text"], document_id=str(rec["id"]))
            res = pipe.process(art)
            back = align(rec["text"], art.text)
            for pm in res.places:
                r = place_record(str(rec["id"]), pm)
                r["start"], r["end"] = back[pm.span.start], back[pm.span.end - 1] + 1
                fp.write(json.dumps(r, ensure_ascii=False) + "\n")
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--limit", type=int, help="only the first N records of each set")
    ap.add_argument("--only", default="seed,acled,geo")
    ap.add_argument("--results", default=None, help="folder for outputs and figures (bench/results)")
    args = ap.parse_args()
    global RESULTS
    if args.results:
        RESULTS = pathlib.Path(args.results)
    shared = pathlib.Path(args.shared)
    if not (shared / "tools" / "score.py").exists():
        print(f"no scorer at {shared}/tools/score.py", file=sys.stderr)
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))
    t0 = time.perf_counter()
    pipe = Pipeline()
    print(f"pipeline loaded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    table = []

    if "seed" in only:
        import datetime as dt

        ev = RESULTS / "seed.jsonl"
        docs, fails, secs = run(pipe, [shared / "seed" / "jisr-al-shughur.txt"], ev, published=dt.date(2015, 4, 25))
        fig = score(shared, "seed", str(ev))
        table.append(("seed (jisr-al-shughur)", fig, secs))
        (RESULTS / "seed.json").write_text(json.dumps(fig, indent=1) + "\n")

    if "acled" in only:
        inp = shared / "data" / "acled-notes-dev.jsonl"
        ev = RESULTS / "acled.jsonl"
        docs, fails, secs = run(pipe, [inp], ev, limit=args.limit)
        src = inp
        if args.limit:
            src = RESULTS / "acled-input-subset.jsonl"
            with open(inp, encoding="utf-8") as f, open(src, "w", encoding="utf-8") as g:
                g.writelines(itertools.islice(f, args.limit))
        fig = score(shared, "acled", str(src), str(ev))
        fig["docs_per_s"] = round(docs / secs, 1)
        table.append(("acled-notes-dev", fig, secs))
        (RESULTS / "acled.json").write_text(json.dumps(fig, indent=1) + "\n")

    if "geo" in only:
        inp = shared / "data" / "geowebnews-dev.jsonl"
        pl = RESULTS / "geo-places.jsonl"
        src = inp
        if args.limit:
            src = RESULTS / "geo-input-subset.jsonl"
            with open(inp, encoding="utf-8") as f, open(src, "w", encoding="utf-8") as g:
                g.writelines(itertools.islice(f, args.limit))
        secs = run_places(pipe, src, pl)
        fig = score(shared, "geo", str(src), str(pl))
        table.append(("geowebnews-dev", fig, secs))
        (RESULTS / "geo.json").write_text(json.dumps(fig, indent=1) + "\n")

    print(f"{'set':<24} {'seconds':>8}  figures")
    for name, fig, secs in table:
        figs = "  ".join(f"{k}={v}" for k, v in fig.items())
        print(f"{name:<24} {secs:8.1f}  {figs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

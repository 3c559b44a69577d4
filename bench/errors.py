#!/usr/bin/env python3
"""Lists sitrep's disagreements with ACLED dev-note gold for one field (for reading, not for pasting).

    .venv/bin/python bench/errors.py actor1 [--n 40] [--seed 1]

Reads bench/results/acled.jsonl (written by bench/evaluate.py) and ../shared/data/acled-notes-dev.jsonl.
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import pathlib
import random
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def norm(name):
    name = re.sub(r"\([^)]*\)", " ", str(name or ""))
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", name.lower()).split())


def km(a, b, c, d):
    if None in (a, b, c, d):
        return math.inf
    p1, p2 = math.radians(a), math.radians(c)
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(x)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("field")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()
    pred = collections.defaultdict(list)
    for line in open(ROOT / "bench" / "results" / "acled.jsonl", encoding="utf-8"):
        e = json.loads(line)
        if not e.get("background"):
            pred[e["document_id"]].append(e)
    bad, pairs = [], collections.Counter()
    for line in open(pathlib.Path(args.shared) / "data" / "acled-notes-dev.jsonl", encoding="utf-8"):
        r = json.loads(line)
        g = r["gold"]["events"][0]
        ps = pred.get(r["id"], [])
        if not ps:
            continue
        p = max(ps, key=lambda p: (p.get("sub_event_type") == g["sub_event_type"]) * 4
                + (p.get("event_type") == g["event_type"]) * 2
                + (km(p.get("latitude"), p.get("longitude"), g["latitude"], g["longitude"]) <= 25))
        f = args.field
        gv, pv = g.get(f), p.get(f)
        same = norm(gv) == norm(pv) if f.startswith("actor") else gv == pv
        if not same:
            bad.append((r["id"], gv, pv, r["text"][:260]))
            pairs[(str(gv)[:40], str(pv)[:40])] += 1
    print(f"{len(bad)} disagreements on {args.field}")
    for (g, p), n in pairs.most_common(15):
        print(f"  {n:4d}  gold {g!r:44} sitrep {p!r}")
    random.seed(args.seed)
    for rid, gv, pv, text in random.sample(bad, min(args.n, len(bad))):
        print(f"\n{rid}: gold {gv!r} | sitrep {pv!r}\n   {text}")


if __name__ == "__main__":
    main()

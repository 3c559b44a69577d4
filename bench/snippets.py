#!/usr/bin/env python3
"""Sub-event typing on short own-written snippets in the style of CASE 2021 task 2 (bench/data/snippets.yaml).

    .venv/bin/python bench/snippets.py [--show-misses]

Each snippet is run through the pipeline alone (published 2021-06-15); its first non-background event is the
prediction, as in score_case of ../shared/tools/score.py, whose figures are computed here the same way: event
type and sub-event accuracy, macro and weighted F1 over the ACLED snippets, and the share of non-ACLED
snippets (disasters, crime, diplomacy, claims of responsibility) on which sitrep emits nothing.  Prints the
figures, a per-type table and a per-kind table, and writes them to bench/results/snippets.json.
"""
from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.data import load_yaml  # noqa: E402
from sitrep.pipeline import Pipeline  # noqa: E402

DATA = ROOT / "bench" / "data" / "snippets.yaml"
OUT = ROOT / "bench" / "results" / "snippets.json"
PUBLISHED = "2021-06-15"


def macro_f1(pairs, weighted=False):
    """Mean F1 over gold and predicted labels; weighted=True weights each by its gold support, as score.py."""
    labels = {g for g, _ in pairs} | {p for _, p in pairs if p}
    total = weight = 0.0
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        if tp + fp + fn:
            w = (tp + fn) if weighted else 1
            total += w * 2 * tp / (2 * tp + fp + fn)
            weight += w
    return total / weight if weight else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="print each wrong snippet and its prediction")
    ap.add_argument("--data", default=str(DATA),
                    help="snippet file (bench/data/snippets_check.yaml is the held-out check set: never tune on it)")
    args = ap.parse_args()
    data = pathlib.Path(args.data)
    recs = yaml.safe_load(data.read_text(encoding="utf-8"))
    taxonomy = load_yaml("taxonomy.yaml")["event_types"]
    type_of = {sub: et for et, d in taxonomy.items() for sub in d["sub_event_types"]}
    pipe = Pipeline()
    pairs, et_hits, misses = [], 0, []
    quiet = collections.defaultdict(lambda: [0, 0, collections.Counter()])  # kind -> n, quiet, predictions
    for r in recs:
        evs = [e for e in pipe.extract(r["text"], published=PUBLISHED) if not e.background]
        pred = evs[0].sub_event_type if evs else None
        if r["sub"] is None:
            q = quiet[r["kind"]]
            q[0] += 1
            q[1] += pred is None
            if pred:
                q[2][pred] += 1
                misses.append((r, pred))
            continue
        assert r["sub"] in type_of, r["id"]
        pairs.append((r["sub"], pred))
        et_hits += bool(evs) and evs[0].event_type == type_of[r["sub"]]
        if pred != r["sub"]:
            misses.append((r, pred))
    n, n_null = len(pairs), sum(q[0] for q in quiet.values())
    fig = {"event_type": round(et_hits / n, 3),
           "sub_event_accuracy": round(sum(g == p for g, p in pairs) / n, 3),
           "sub_event_macro_f1": round(macro_f1(pairs), 3),
           "sub_event_weighted_f1": round(macro_f1(pairs, True), 3),
           "non_acled_quiet": round(sum(q[1] for q in quiet.values()) / n_null, 3), "snippets": n + n_null}
    per_type = {}
    for sub in type_of:
        got = [p for g, p in pairs if g == sub]
        wrong = collections.Counter(str(p) for p in got if p != sub).most_common(1)
        per_type[sub] = {"n": len(got), "correct": sum(p == sub for p in got),
                         "top_wrong": f"{wrong[0][0]} ({wrong[0][1]})" if wrong else ""}
    per_kind = {k: {"n": q[0], "quiet": q[1], "fired": dict(q[2].most_common(3))}
                for k, q in sorted(quiet.items())}
    if args.show_misses:
        for r, pred in misses:
            print(f"{r['id']:5s} gold={r['sub'] or r['kind']} | pred={pred}\n      {r['text']}")
        print()
    print(f"{'sub-event type':36s} {'n':>3s} {'ok':>3s}  most common wrong prediction")
    for sub, row in per_type.items():
        print(f"{sub:36s} {row['n']:3d} {row['correct']:3d}  {row['top_wrong']}")
    print(f"\n{'non-ACLED kind':36s} {'n':>3s} {'quiet':>5s}  predictions when not quiet")
    for k, row in per_kind.items():
        print(f"{k:36s} {row['n']:3d} {row['quiet']:5d}  {row['fired']}")
    print("\n" + json.dumps(fig))
    out = OUT.with_name(data.stem + ".json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"figures": fig, "per_type": per_type, "per_kind": per_kind}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

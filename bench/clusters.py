#!/usr/bin/env python3
"""Cross-article merging quality: the multi-outlet corpus and the ACLED dev notes.

  .venv/bin/python bench/clusters.py [--corpus tests/data/multi_outlet/corpus.yaml] [--notes FILE]
                                     [--no-notes] [--verbose] [--pairs]

1. Multi-outlet corpus: every article goes through the real pipeline (``Pipeline().process``); all events
   are merged with ``EventIndex``.  An article's main event is its first current (non-background) event;
   two articles are predicted together when their main events end in the same merged event.  Prints the
   pairwise precision and recall against the expected clusters (goal >= 0.95 each), and whether the
   background mentions attached to the event they recall.
2. ACLED dev notes (../shared/data/acled-notes-dev.jsonl), each a separate article and a distinct event:
   prints the share of notes whose events merged into another note's event (goal < 1%).  With --pairs, each
   merged event's notes (id, sub-event type, place, date, evidence) go to stderr, for reading the false
   merges (measurement only: never copy them into the repository).
"""
from __future__ import annotations

import argparse
import itertools
import json
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def pairwise(truth: dict[str, str], pred: dict[str, str | None]) -> tuple[float, float, int, int, int]:
    """Pairwise precision/recall over items; an item without a prediction is a singleton."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(truth), 2):
        same_t = truth[a] == truth[b]
        pa, pb = pred.get(a), pred.get(b)
        same_p = pa is not None and pa == pb
        tp += same_t and same_p
        fp += same_p and not same_t
        fn += same_t and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, tp, fp, fn


def run_corpus(pipe, path: pathlib.Path, verbose: bool) -> dict:
    import yaml

    from sitrep.merge.cross import EventIndex

    articles = yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]
    idx = EventIndex()
    main_report: dict[str, object] = {}
    bg_report: dict[str, object] = {}
    t0 = time.perf_counter()
    for a in articles:
        art = pipe.article(a["text"], a.get("published"), outlet=a.get("outlet"), document_id=a["id"])
        events = pipe.process(art).events
        current = [e for e in events if not e.background]
        if current:
            main_report[a["id"]] = current[0].reports[0]
        bgs = [e for e in events if e.background]
        if bgs:
            bg_report[a["id"]] = bgs[0].reports[0]
        for ev in events:
            idx.add(ev)
        if verbose:
            for ev in events:
                loc = ev.location.place.name if ev.location and ev.location.place else None
                print(f"  {a['id']:8} {ev.sub_event_type:38} {loc} {ev.date} p{ev.time_precision}"
                      f" g{ev.geo_precision} {ev.actor1.name if ev.actor1 else '-'} /"
                      f" {ev.actor2.name if ev.actor2 else '-'} bg={ev.background} fat={ev.fatalities.best}",
                      file=sys.stderr)
    elapsed = time.perf_counter() - t0
    home = {id(r): ev.event_id for ev in idx for r in ev.reports}
    truth = {a["id"]: a["cluster"] for a in articles}
    pred = {aid: home.get(id(r)) for aid, r in main_report.items()}
    p, r, tp, fp, fn = pairwise(truth, pred)
    bg_ok = bg_total = 0
    cluster_event: dict[str, set] = {}
    for aid, eid in pred.items():
        if eid is not None:
            cluster_event.setdefault(truth[aid], set()).add(eid)
    for a in articles:
        if a.get("background_of"):
            bg_total += 1
            r_bg = bg_report.get(a["id"])
            if r_bg is not None and home.get(id(r_bg)) in cluster_event.get(a["background_of"], set()):
                bg_ok += 1
    no_event = sorted(set(truth) - set(main_report))
    if verbose:
        for eid, ev in idx.events.items():
            members = sorted(aid for aid, e in pred.items() if e == eid)
            if members:
                print(f"  {eid}: {members} contradictions={[c.field for c in ev.contradictions]}",
                      file=sys.stderr)
    return {"articles": len(articles), "clusters": len(set(truth.values())), "merged_events": len(idx),
            "precision": round(p, 4), "recall": round(r, 4), "tp": tp, "fp": fp, "fn": fn,
            "articles_without_event": no_event, "background_attached": f"{bg_ok}/{bg_total}",
            "seconds": round(elapsed, 2)}


def run_notes(pipe, path: pathlib.Path, show_pairs: bool = False) -> dict:
    from sitrep.merge.cross import EventIndex

    idx = EventIndex()
    note_of: dict[int, str] = {}
    notes = 0
    t0 = time.perf_counter()
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            notes += 1
            art = pipe.article(rec["text"], rec.get("published"), document_id=rec["id"])
            for ev in pipe.process(art).events:
                for r in ev.reports:
                    note_of[id(r)] = rec["id"]
                idx.add(ev)
    merged_notes: set[str] = set()
    for ev in idx:
        owners = {note_of[id(r)] for r in ev.reports}
        if len(owners) > 1:
            merged_notes |= owners
    if show_pairs:
        _print_merged(idx, note_of)
    # a note "merged into another note's event": all notes of a multi-note event but the first one
    into_other = sum(len({note_of[id(r)] for r in ev.reports}) - 1 for ev in idx)
    return {"notes": notes, "events": len(idx), "notes_in_shared_events": len(merged_notes),
            "notes_merged_into_another": into_other,
            "share_merged": round(into_other / notes, 4) if notes else 0.0,
            "seconds": round(time.perf_counter() - t0, 1)}


def _print_merged(idx, note_of: dict[int, str]) -> None:
    """Every event holding reports of more than one note, one line per report (to stderr)."""
    for ev in idx:
        if len({note_of[id(r)] for r in ev.reports}) < 2:
            continue
        print(f"== {ev.event_id} {ev.sub_event_type} {ev.date}", file=sys.stderr)
        for r in ev.reports:
            place = r.location.place.name if r.location and r.location.place else None
            evidence = " | ".join(s.text for s in r.evidence)[:300]
            print(f"   {note_of[id(r)]:10} {r.sub_event_type:34} {place} g{r.geo_precision} {r.date}"
                  f" p{r.time_precision}: {evidence}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "tests/data/multi_outlet/corpus.yaml"))
    ap.add_argument("--notes", default=str(SHARED / "data/acled-notes-dev.jsonl"))
    ap.add_argument("--no-notes", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--pairs", action="store_true", help="list the notes merged into one event (stderr)")
    args = ap.parse_args(argv)

    from sitrep.pipeline import Pipeline

    pipe = Pipeline()
    out = {"multi_outlet": run_corpus(pipe, pathlib.Path(args.corpus), args.verbose)}
    print(json.dumps(out["multi_outlet"]), flush=True)
    notes = pathlib.Path(args.notes)
    if not args.no_notes and notes.exists():
        out["acled_notes"] = run_notes(pipe, notes, args.pairs)
        print(json.dumps(out["acled_notes"]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure the date and fatality picks of sitrep's date/number/fatality code on ACLED notes.

usage: python bench/dates_numbers.py [NOTES.jsonl] [--show date|fatalities] [--limit N]
Takes records carrying gold.events (single-event notes only), runs DateMatcher + NumberMatcher, picks the
event date (event_date over the note's date mentions) and the fatalities (combine_figures over every
sentence), and prints the share matching gold plus the mismatches asked for with --show.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from sitrep.extract.fatalities import combine_figures, fatality_figures
from sitrep.model import Article
from sitrep.nlp import Analyzer
from sitrep.nlp.dates import DateMatcher
from sitrep.nlp.numbers import NumberMatcher
from sitrep.resolve.dates import event_date


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default="/work/shared/data/acled-notes-dev.jsonl")
    ap.add_argument("--show", choices=["date", "fatalities", "precision"], default=None)
    ap.add_argument("--limit", type=int, default=40)
    args = ap.parse_args(argv)
    analyzer = Analyzer([DateMatcher(), NumberMatcher()])
    n = hits_date = hits_prec = hits_fat = 0
    shown = 0
    with open(args.path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            golds = rec.get("gold", {}).get("events") or []
            if len(golds) != 1:
                continue
            gold = golds[0]
            published = dt.date.fromisoformat(rec["published"][:10]) if rec.get("published") else None
            doc = analyzer.analyze(Article(id=rec["id"], text=rec["text"], published=published))
            value = event_date(doc.of_kind("date"), published)
            date = value.start.isoformat() if value and value.start else None
            figs = [fg for s in doc.sentences for fg in fatality_figures(doc, s)]
            fat = combine_figures(figs).best
            n += 1
            ok_d = date == gold["event_date"]
            ok_p = ok_d and value.precision == gold["time_precision"]
            ok_f = fat == gold["fatalities"]
            hits_date += ok_d
            hits_prec += ok_p
            hits_fat += ok_f
            bad = {"date": not ok_d, "fatalities": not ok_f, "precision": ok_d and not ok_p}.get(args.show or "", False)
            if bad and shown < args.limit:
                shown += 1
                print(f"--- {rec['id']} published={published} gold date={gold['event_date']}/"
                      f"{gold['time_precision']} fat={gold['fatalities']} | got {date}/"
                      f"{value.precision if value else None} fat={fat} {[(x.best, x.span.text) for x in figs]}")
                print("   ", rec["text"][:400].replace("\n", " "))
    print(json.dumps({"notes": n, "date": round(hits_date / n, 3), "date_and_precision": round(hits_prec / n, 3),
                      "fatalities": round(hits_fat / n, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How often the gold actor1/actor2 of an ACLED note is among the resolved names of our actor mentions.

Usage: .venv/bin/python bench/actors_coverage.py [path/to/acled-notes-dev.jsonl] [--misses N]
Year suffixes are ignored ("Military Forces of Syria (2000-)" == "Military Forces of Syria").  Prints the
share found and the most frequent missed name *shapes* (to find kinds of actors the registry lacks).
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import pathlib
import re
import sys

from sitrep.ingest import make_article
from sitrep.nlp import Analyzer
from sitrep.nlp.actors import ActorMatcher, registry
from sitrep.resolve.actors import ActorResolver

_SUFFIX = re.compile(r"\s*\(\d{4}-\d{0,4}\)")


def norm(name: str | None) -> str:
    return _SUFFIX.sub("", name or "").strip().lower()


def main(argv: list[str]) -> None:
    path = pathlib.Path(argv[0]) if argv and not argv[0].startswith("--") else \
        pathlib.Path(__file__).resolve().parents[2] / "shared/data/acled-notes-dev.jsonl"
    show = int(argv[argv.index("--misses") + 1]) if "--misses" in argv else 25
    reg = registry()
    iso = {info["name"]: cc for cc, info in reg.countries.items()}
    analyzer, resolver = Analyzer(matchers=[ActorMatcher()]), ActorResolver()
    hits = collections.Counter()
    total = collections.Counter()
    missed = collections.Counter()
    for line in path.open(encoding="utf-8"):
        rec = json.loads(line)
        doc = analyzer.analyze(make_article(rec["text"]))
        mentions = [m for m in doc.mentions if m.kind == "actor"]
        for ev in rec["gold"]["events"]:
            cc = iso.get(ev["country"])
            date = dt.date.fromisoformat(ev["event_date"])
            names = {norm(resolver.resolve(m, cc, date).name) for m in mentions}
            for role in ("actor1", "actor2"):
                gold = ev.get(role)
                if not gold:
                    continue
                total[role] += 1
                if norm(gold) in names:
                    hits[role] += 1
                else:
                    # the shape of the missed name, e.g. "Civilians (X)", "Military Forces of X"
                    shape = re.sub(r"\((?!X\))[^()]*\)$", "(X)", _SUFFIX.sub("", gold))
                    missed[shape] += 1
    for role in ("actor1", "actor2"):
        print(f"{role}: {hits[role]}/{total[role]} = {hits[role] / max(1, total[role]):.3f}")
    print("most frequent misses:")
    for shape, n in missed.most_common(show):
        print(f"  {n:5d}  {shape}")


if __name__ == "__main__":
    main(sys.argv[1:])

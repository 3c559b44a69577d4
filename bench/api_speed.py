"""How fast /api/events answers over a store of 100,000 synthetic events (goal: < 200 ms filtered).

  .venv/bin/python bench/api_speed.py [--events 100000] [--db PATH (reused when it exists)] [--runs 7]

Events are spread over 12 countries, 6 event types and 365 days, each with a note, an evidence span and a
claim, stored through the store's own add() (20 events per article).  Prints the store build time, the
FTS build time at server start and the median / worst time of each query through FastAPI's TestClient.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitrep.ingest import make_article
from sitrep.serve.sample import Where, make_event
from sitrep.store import open_store

PLACES = [Where("Gwoza", "Nigeria", "NG", "Borno", 11.08, 13.69), Where("Kharkiv", "Ukraine", "UA", "Kharkivska", 49.99, 36.23),
          Where("El Fasher", "Sudan", "SD", "North Darfur", 13.63, 25.35), Where("Nairobi", "Kenya", "KE", "Nairobi", -1.29, 36.82),
          Where("Ansongo", "Mali", "ML", "Gao", 15.66, 0.50), Where("Argelia", "Colombia", "CO", "Cauca", 2.26, -77.25),
          Where("Goma", "Democratic Republic of Congo", "CD", "North Kivu", -1.68, 29.22),
          Where("Sittwe", "Myanmar", "MM", "Rakhine", 20.15, 92.90), Where("Aden", "Yemen", "YE", "Aden", 12.78, 45.04),
          Where("Kidal", "Mali", "ML", "Kidal", 18.44, 1.41), Where("Beni", "Democratic Republic of Congo", "CD", "North Kivu", 0.49, 29.47),
          Where("Khan Younis", "Palestine", "PS", "Gaza Strip", 31.34, 34.31)]
KINDS = [("Battles", "Armed clash", "clashed"), ("Explosions/Remote violence", "Air/drone strike", "struck"),
         ("Violence against civilians", "Attack", "attacked"), ("Protests", "Peaceful protest", "marched"),
         ("Riots", "Mob violence", "rioted"), ("Strategic developments", "Arrests", "arrested")]
WORDS = ["convoy", "market", "checkpoint", "village", "camp", "bridge", "school", "clinic", "road", "district"]


def build(path: Path, n_events: int, per_article: int = 20) -> float:
    rnd = random.Random(7)
    start = time.perf_counter()
    day0 = dt.date(2025, 1, 1)
    with open_store(path) as store:
        for a in range(0, n_events, per_article):
            sentences, specs = [], []
            for i in range(min(per_article, n_events - a)):
                place = rnd.choice(PLACES)
                etype, sub, verb = rnd.choice(KINDS)
                word = rnd.choice(WORDS)
                s = f"Report {a + i}: armed men {verb} near the {word} in {place.name}, a local official said."
                sentences.append(s)
                specs.append((place, etype, sub, verb, s, word))
            art = make_article(" ".join(sentences), title=f"Synthetic bulletin {a // per_article}",
                               published=(day0 + dt.timedelta(days=a % 365)).isoformat())
            events = []
            for i, (place, etype, sub, verb, s, word) in enumerate(specs):
                events.append(make_event(
                    art, i, etype, sub, f"Report {a + i}: armed men {verb}", [s], place,
                    day0 + dt.timedelta(days=rnd.randrange(365)), (rnd.choice([0, 0, 1, 2, 5, 12]), None, None),
                    (f"Armed group {rnd.randrange(40)}", 2), None,
                    claims=[("a local official", "official", "asserts", s, "said")],
                    notes=f"Armed men {verb} near the {word} in {place.name} ({a + i})."))
            store.add(art, events)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bench.db"
    if not path.exists():
        secs = build(path, args.events)
        print(f"built store: {args.events} events in {secs:.1f} s ({path}, {os.path.getsize(path) / 1e6:.0f} MB)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

        from sitrep.serve.app import create_app
    t0 = time.perf_counter()
    app = create_app(path)
    print(f"server start incl. FTS index: {time.perf_counter() - t0:.2f} s; store: {app.state.index.facets()['events']} events")
    queries = {
        "no filter, page 1": {},
        "country + type + dates": {"country": "Nigeria", "event_type": "Battles", "date_from": "2025-03-01",
                                   "date_to": "2025-06-30"},
        "bbox (Sahel)": {"bbox": "-5,10,15,20", "sort": "-fatalities"},
        "full text 'checkpoint'": {"q": "checkpoint"},
        "full text + country": {"q": "market Kharkiv", "country": "Ukraine"},
        "actor substring": {"actor": "armed group 17", "date_from": "2025-06-01"},
        "deep page (offset 50000)": {"offset": 50_000, "sort": "event_date"},
    }
    print(f"{'query':<28}{'total':>8}{'median ms':>11}{'max ms':>9}")
    worst_filtered = 0.0
    with TestClient(app) as client:
        for name, params in queries.items():
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                r = client.get("/api/events", params={**params, "limit": 100})
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, r.text
            med = statistics.median(times)
            if params and "offset" not in params:
                worst_filtered = max(worst_filtered, med)
            print(f"{name:<28}{r.json()['total']:>8}{med:>11.1f}{max(times):>9.1f}")
        for name, ep in (("map points (all)", "/api/points"), ("timeline (all)", "/api/timeline")):
            t = time.perf_counter()
            client.get(ep)
            print(f"{name:<28}{'':>8}{(time.perf_counter() - t) * 1000:>11.1f}")
    print(f"slowest filtered /api/events median: {worst_filtered:.1f} ms (goal < 200 ms)")
    app.state.index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

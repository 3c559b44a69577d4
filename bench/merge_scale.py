#!/usr/bin/env python3
"""Cross-article merge scaling: EventIndex over 10,000 vs 100,000 synthetic reports.

  .venv/bin/python bench/merge_scale.py [--small 10000] [--large 100000] [--seed 5]

Synthetic world: 2,000 towns in 20 countries; real-world events of random families on random days of a
period; each event told by 1 to 5 reports with jittered places (within 3 km), dates and precisions,
generic or named actors.  Two set-ups:
- "same period": both sizes over the same 2 years (the large run is 10x denser: more candidates per block);
- "growing period": the period grows with the number of reports (a store filling up over time).
Prints, per set-up, both times, the ratio (large / small), the per-report cost ratio, the candidate
comparisons per report, and the cost of adding 1,000 more reports to each full index (incremental use).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import random
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.merge import build_event  # noqa: E402
from sitrep.merge.cross import EventIndex  # noqa: E402
from sitrep.model import ActorRef, EventReport, Fatalities, Place, PlaceMention, Span  # noqa: E402

SUBS = [("Battles", "Armed clash"), ("Battles", "Non-state actor overtakes territory"),
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest"), ("Riots", "Mob violence")]
GROUPS = ["Group A", "Group B", "Group C", "Group D", "Group E"]


def world(rng: random.Random, towns: int = 2000, countries: int = 20):
    out = []
    for c in range(countries):
        lat0, lon0 = rng.uniform(-30, 50), rng.uniform(-80, 120)
        for t in range(towns // countries):
            out.append((f"C{c:02d}", f"A{c:02d}-{t % 8}", lat0 + rng.uniform(-4, 4), lon0 + rng.uniform(-4, 4)))
    return out


def reports(n: int, days: int, rng: random.Random) -> list[EventReport]:
    towns = world(random.Random(1))
    start = dt.date(2020, 1, 1)
    out: list[EventReport] = []
    k = 0
    while len(out) < n:
        cc, adm1, lat, lon = rng.choice(towns)
        etype, sub = rng.choice(SUBS)
        day = start + dt.timedelta(days=rng.randrange(days))
        named = rng.choice(GROUPS)
        fat = rng.randrange(0, 20)
        for _ in range(min(rng.randint(1, 5), n - len(out))):
            k += 1
            prec = rng.choice((1, 1, 1, 2))
            gp = rng.choice((1, 1, 2))
            a1 = ActorRef(name=named, inter=2, actor_id=named) if rng.random() < 0.6 else ActorRef(
                name=f"Unidentified Armed Group ({cc})", inter=3)
            name = f"Town{lat:.2f}"
            place = Place(geonameid=None, name=name, country_code=cc, lat=lat + rng.uniform(-0.02, 0.02),
                          lon=lon + rng.uniform(-0.02, 0.02), country=cc, admin1=adm1)
            aid = f"art{k}"
            sentence = f"Fighting was reported near {name}, local sources said."  # the place named, as in news
            out.append(EventReport(
                article_id=aid, document_id=aid, event_type=etype, sub_event_type=sub,
                trigger=Span(aid, 0, 8, "Fighting"), evidence=[Span(aid, 0, len(sentence), sentence)], actor1=a1,
                location=PlaceMention(span=Span(aid, 26, 26 + len(name), name), place=place,
                                      role="event location"),
                geo_precision=gp, date=day if prec == 1 else day - dt.timedelta(days=rng.randrange(2)),
                time_precision=prec, fatalities=Fatalities(best=fat + rng.randrange(3), known=True)))
    return out


def run(reps: list[EventReport], index: EventIndex | None = None) -> tuple[float, EventIndex]:
    events = [build_event([r]) for r in reps]  # one article's event per report (not timed)
    idx = index if index is not None else EventIndex()
    t0 = time.perf_counter()
    for ev in events:
        idx.add(ev)
    return time.perf_counter() - t0, idx


def setup(name: str, small: int, large: int, days_small: int, days_large: int, seed: int) -> dict:
    rs, rl = reports(small, days_small, random.Random(seed)), reports(large, days_large, random.Random(seed + 1))
    c0 = time.perf_counter()
    t_small, idx_s = run(rs)
    cmp_s = idx_s.comparisons
    t_large, idx_l = run(rl)
    cmp_l = idx_l.comparisons
    extra_s = reports(1000, days_small, random.Random(seed + 2))
    extra_l = reports(1000, days_large, random.Random(seed + 2))
    inc_s, _ = run(extra_s, idx_s)
    inc_l, _ = run(extra_l, idx_l)
    return {
        "setup": name, "small": small, "large": large,
        "seconds_small": round(t_small, 3), "seconds_large": round(t_large, 3),
        "ratio_large_over_small": round(t_large / t_small, 2),
        "per_report_cost_ratio": round((t_large / large) / (t_small / small), 2),
        "events_small": len(idx_s), "events_large": len(idx_l),
        "comparisons_per_report_small": round(cmp_s / small, 2),
        "comparisons_per_report_large": round(cmp_l / large, 2),
        "add_1000_into_small_s": round(inc_s, 3), "add_1000_into_large_s": round(inc_l, 3),
        "incremental_ratio": round(inc_l / inc_s, 2),
        "wall_s": round(time.perf_counter() - c0, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--large", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    days = 730
    run(reports(500, days, random.Random(0)))  # warm-up: registries, caches
    print(json.dumps(setup("same period", args.small, args.large, days, days, args.seed)), flush=True)
    print(json.dumps(setup("growing period", args.small, args.large, days,
                           days * args.large // args.small, args.seed)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Quietness on news sentences that tell no ACLED event, and firing on those that do (PLOVER gold sentences).

    .venv/bin/python bench/plover_quiet.py [--shared ../shared] [--show TYPE]

The PLOVER gold-standard records (read at run time from ../shared/data/plover-gsr, never copied) are single
news sentences, each coded with one PLOVER event type.  Diplomatic and verbal types (consult, cooperate,
demand, disapprove, investigate, reject, support, threaten, aid, concede, sanction) are not ACLED events:
sitrep should emit no current event for them.  Violent and protest types (assault, fight, protest, coerce)
are: sitrep should emit one.  Prints, per PLOVER type, how many sentences made sitrep emit a current event and
the sub-event types it chose, then the two shares.
"""
from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.pipeline import Pipeline  # noqa: E402

NOT_ACLED = {"CONSULT", "COOPERATE", "DEMAND", "DISAPPROVE", "INVESTIGATE", "REJECT", "SUPPORT", "THREATEN", "AID",
             "CONCEDE", "SANCTION"}
ACLED = {"ASSAULT", "FIGHT", "PROTEST", "COERCE"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--show", help="print the sentences of this PLOVER type that made sitrep emit an event")
    args = ap.parse_args()
    path = pathlib.Path(args.shared) / "data" / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"
    if not path.exists():
        print(f"no PLOVER gold at {path}", file=sys.stderr)
        return 2
    recs = [r for r in json.loads(path.read_text(encoding="utf-8-sig")) if (r.get("text") or "").strip()]
    pipe = Pipeline()
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    subs: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in recs:
        events = [e for e in pipe.extract(r["text"], published=r.get("date")) if not e.background]
        kind = str(r.get("event"))
        counts[kind][0] += 1
        counts[kind][1] += bool(events)
        if events:
            subs[kind][events[0].sub_event_type] += 1
            if args.show == kind:
                print(f"  {events[0].sub_event_type} | {r['text'][:150]}")
    for kind, (n, fired) in sorted(counts.items()):
        print(f"{kind:12s} sentences={n:3d} fired={fired:3d}  {dict(subs[kind].most_common(3))}")
    quiet_n = sum(counts[k][0] for k in NOT_ACLED)
    quiet = sum(counts[k][0] - counts[k][1] for k in NOT_ACLED)
    fire_n = sum(counts[k][0] for k in ACLED)
    fire = sum(counts[k][1] for k in ACLED)
    print(f"quiet on non-ACLED types: {quiet}/{quiet_n} = {quiet / max(quiet_n, 1):.3f}")
    print(f"fired on ACLED types:     {fire}/{fire_n} = {fire / max(fire_n, 1):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

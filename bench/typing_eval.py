"""Event typing accuracy over ACLED notes (one gold event per note: the first).

    .venv/bin/python bench/typing_eval.py [--data FILE] [--errors N] [--split dev|check|all] [--show N]
    .venv/bin/python bench/typing_eval.py --results bench/results/acled.jsonl [--split ...] [--show N]
    .venv/bin/python bench/typing_eval.py --run --results /tmp/acled-typing.jsonl   (run the pipeline first)

With --results, the whole system's output (written by bench/evaluate.py --only acled) is scored instead, per
split, with the scorer's matching (the best of a note's non-background events against its gold events).

Per note: analyze with the trigger (and, when present, actor) matchers, classify every sentence, take the top
asserted TypedTrigger (highest score; ties: earliest) and compare with the gold event_type / sub_event_type.
Records whose id hashes to bucket 0 of 5 form the "check" split, kept untouched while tuning on "dev".
Prints event type accuracy, sub-event accuracy and macro-F1 for each split, and the top confusions.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from sitrep.model import Article
from sitrep.nlp import Analyzer
from sitrep.nlp.triggers import TriggerMatcher


def _load_typing():
    """sitrep.extract.typing; loaded from its file when the extract package itself cannot import yet."""
    try:
        import sitrep.extract.typing as mod
    except ImportError:
        import importlib.util

        path = pathlib.Path(__file__).resolve().parent.parent / "sitrep" / "extract" / "typing.py"
        spec = importlib.util.spec_from_file_location("sitrep_extract_typing", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
    return mod


_typing = _load_typing()
TypedTrigger, classify_sentence = _typing.TypedTrigger, _typing.classify_sentence
DEFAULT = pathlib.Path("/work/shared/data/acled-notes-dev.jsonl")
NONE = ("(none)", "(none)")


def split_of(record_id: str) -> str:
    return "check" if int(hashlib.md5(record_id.encode()).hexdigest(), 16) % 5 == 0 else "dev"


def make_analyzer() -> Analyzer:
    matchers = [TriggerMatcher()]
    try:
        from sitrep.nlp.actors import ActorMatcher

        matchers.append(ActorMatcher())
    except (ImportError, AttributeError):
        pass
    return Analyzer(matchers)


def make_article(rec: dict) -> Article:
    published = dt.date.fromisoformat(rec["published"][:10]) if rec.get("published") else None
    try:
        from sitrep.ingest import make_article as ingest_make

        return ingest_make(rec["text"], published=published, document_id=rec.get("id"))
    except (ImportError, AttributeError):
        return Article(id=rec["id"], text=rec["text"], published=published, document_id=rec.get("id"))


def top_event(analyzer: Analyzer, rec: dict) -> TypedTrigger | None:
    doc = analyzer.analyze(make_article(rec))
    best: TypedTrigger | None = None
    for sentence in doc.sentences:
        for t in classify_sentence(doc, sentence):
            if t.modality == "asserted" and (best is None or t.score > best.score):
                best = t
    return best


def label_f1(pairs: list[tuple[str, str]]) -> dict[str, tuple[float, int]]:
    """F1 and gold support per label; labels are gold labels and predicted ones (as the shared scorer counts)."""
    labels = {g for g, _ in pairs} | {p for _, p in pairs if p and p != NONE[1]}
    out = {}
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        out[lab] = (2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0, tp + fn)
    return out


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    f1s = [f for f, _ in label_f1(pairs).values()]
    return sum(f1s) / len(f1s) if f1s else 0.0


def report(name: str, rows: list[tuple[tuple[str, str], tuple[str, str]]], n_errors: int) -> None:
    n = len(rows)
    if not n:
        return
    et = sum(1 for g, p in rows if g[0] == p[0]) / n
    sub = sum(1 for g, p in rows if g[1] == p[1]) / n
    f1 = macro_f1([(g[1], p[1]) for g, p in rows])
    print(f"[{name}] n={n}  event_type_acc={et:.3f}  sub_event_acc={sub:.3f}  sub_event_macroF1={f1:.3f}")
    if n_errors:
        print("    per label: " + ", ".join(f"{lab[:18]}={f:.2f}/{sup}" for lab, (f, sup) in
                                           sorted(label_f1([(g[1], p[1]) for g, p in rows]).items(), key=lambda x: x[1][0])))
    conf = collections.Counter((g[1], p[1]) for g, p in rows if g[1] != p[1])
    for (g, p), c in conf.most_common(n_errors):
        print(f"    {c:4d}  gold={g!r:45} pred={p!r}")


def _km(a: dict, g: dict) -> float:
    import math

    try:
        lat1, lon1, lat2, lon2 = (float(x) for x in (a.get("latitude"), a.get("longitude"), g["latitude"],
                                                    g["longitude"]))
    except (TypeError, ValueError):
        return math.inf
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def run_pipeline(data: pathlib.Path, out: pathlib.Path) -> None:
    """Whole pipeline over the notes, events written as bench/evaluate.py writes them (to a file of our own,
    so that runs by others of bench/evaluate.py cannot interleave with ours)."""
    from sitrep.export import event_record
    from sitrep.ingest import read_inputs
    from sitrep.model import Failure
    from sitrep.pipeline import Pipeline

    pipe = Pipeline()
    with open(out, "w", encoding="utf-8") as fe:
        for res in pipe.process_many(read_inputs([str(data)])):
            if isinstance(res, Failure):
                continue
            fe.writelines(json.dumps(event_record(ev), ensure_ascii=False) + "\n" for ev in res.events)


def score_results(args) -> int:
    """Whole-system figures per split from an events file (same matching as shared/tools/score.py)."""
    preds: dict[str, list[dict]] = collections.defaultdict(list)
    with open(args.results, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                if not e.get("background"):
                    preds[str(e.get("document_id"))].append(e)
    rows: dict[str, list] = {"dev": [], "check": []}
    n_pred = {"dev": 0, "check": 0}
    shown = 0
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            split = split_of(rec["id"])
            if args.split != "all" and split != args.split:
                continue
            golds = rec.get("gold", {}).get("events") or []
            ps = preds.get(str(rec["id"]), [])
            n_pred[split] += len(ps)
            best = None
            for p in ps:
                for g in golds:
                    s = ((p.get("sub_event_type") == g["sub_event_type"]) * 4
                         + (p.get("event_type") == g["event_type"]) * 2 + (_km(p, g) <= 25))
                    if best is None or s > best[0]:
                        best = (s, p, g)
            if best is None:
                gold, pred = (golds[0]["event_type"], golds[0]["sub_event_type"]), NONE
            else:
                gold = (best[2]["event_type"], best[2]["sub_event_type"])
                pred = (best[1].get("event_type"), best[1].get("sub_event_type"))
            rows[split].append((gold, pred))
            if (args.show and split == "dev" and gold[1] != pred[1] and shown < args.show
                    and (args.gold is None or args.gold == gold[1]) and (args.pred is None or args.pred == pred[1])):
                shown += 1
                print(f"--- {rec['id']} gold={gold[1]} pred={[p.get('sub_event_type') for p in ps]}\n"
                      f"{rec['text'][:500]}")
    for split in ("dev", "check"):
        report(split, rows[split], args.errors)
        if rows[split]:
            print(f"    events_per_note={n_pred[split] / len(rows[split]):.3f}")
    report("all", rows["dev"] + rows["check"], 0)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=pathlib.Path, default=DEFAULT)
    ap.add_argument("--errors", type=int, default=12)
    ap.add_argument("--split", choices=["dev", "check", "all"], default="all")
    ap.add_argument("--show", type=int, default=0, help="print N misclassified dev texts (dev split only)")
    ap.add_argument("--gold", default=None, help="with --show: only errors of this gold sub-event type")
    ap.add_argument("--pred", default=None, help="with --show: only errors with this predicted sub-event type")
    ap.add_argument("--results", type=pathlib.Path, default=None,
                    help="score this whole-system events file instead of running the typing alone")
    ap.add_argument("--run", action="store_true", help="with --results: first run the whole pipeline into it")
    args = ap.parse_args(argv)
    if args.results and args.run:
        run_pipeline(args.data, args.results)
    if args.results:
        return score_results(args)
    analyzer = make_analyzer()
    rows: dict[str, list] = {"dev": [], "check": []}
    shown = 0
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            split = split_of(rec["id"])
            if args.split != "all" and split != args.split:
                continue
            events = rec.get("gold", {}).get("events") or []
            if not events:
                continue
            gold = (events[0]["event_type"], events[0]["sub_event_type"])
            top = top_event(analyzer, rec)
            pred = (top.event_type, top.sub_event_type) if top else NONE
            rows[split].append((gold, pred))
            if (args.show and split == "dev" and gold[1] != pred[1] and shown < args.show
                    and (args.gold is None or args.gold == gold[1])):
                shown += 1
                print(f"--- gold={gold[1]} pred={pred[1]} cues={top.cues if top else None}\n{rec['text'][:400]}")
    for split in ("dev", "check"):
        report(split, rows[split], args.errors)
    report("all", rows["dev"] + rows["check"], 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

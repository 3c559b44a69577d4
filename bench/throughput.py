#!/usr/bin/env python3
"""Throughput: articles/s through the whole sitrep pipeline beside a bare spaCy tokenizer pass over the
same corpus in the same run (the ratio is what counts on a noisy machine), and peak memory.

    .venv/bin/python bench/throughput.py [--shared ../shared] [--repeat 1] [--workers 1]

Corpus: the texts of ../shared/data/geowebnews-dev.jsonl (news articles) and acled-notes-dev.jsonl (short
notes), read at run time, never copied.  Writes bench/results/throughput.json.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import resource
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.batch import process_stream  # noqa: E402
from sitrep.ingest import make_article  # noqa: E402
from sitrep.model import Failure  # noqa: E402
from sitrep.nlp import make_nlp  # noqa: E402
from sitrep.pipeline import Pipeline  # noqa: E402


def corpus(shared: pathlib.Path) -> list[tuple[str, str]]:
    docs = []
    for name in ("geowebnews-dev.jsonl", "acled-notes-dev.jsonl"):
        with open(shared / "data" / name, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                docs.append((r["text"], r.get("published") or "2020-05-10"))
    return docs


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=1, help="process the corpus this many times")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    docs = corpus(pathlib.Path(args.shared)) * args.repeat
    chars = sum(len(t) for t, _ in docs)

    nlp = make_nlp()
    t0 = time.perf_counter()
    ntok = sum(len(d) for d in nlp.tokenizer.pipe((t for t, _ in docs), batch_size=64))
    tok_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    pipe = Pipeline() if args.workers == 1 else None
    load_s = time.perf_counter() - t0
    arts = (make_article(t, published=p, document_id=str(i)) for i, (t, p) in enumerate(docs))
    t0 = time.perf_counter()
    n_ev = n_fail = 0
    for res in process_stream(arts, workers=args.workers, pipeline=pipe):
        if isinstance(res, Failure):
            n_fail += 1
        else:
            n_ev += len(res.events)
    run_s = time.perf_counter() - t0

    fig = {
        "articles": len(docs), "characters": chars, "tokens": ntok, "workers": args.workers,
        "pipeline_load_s": round(load_s, 2),
        "tokenizer_s": round(tok_s, 2), "tokenizer_articles_per_s": round(len(docs) / tok_s, 1),
        "sitrep_s": round(run_s, 2), "sitrep_articles_per_s": round(len(docs) / run_s, 1),
        "ratio_sitrep_to_tokenizer": round(run_s / tok_s, 2),
        "events": n_ev, "failures": n_fail, "peak_rss_mb": round(peak_mb(), 1),
    }
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "throughput.json").write_text(json.dumps(fig, indent=1) + "\n")
    w = max(len(k) for k in fig)
    for k, v in fig.items():
        print(f"{k:<{w}}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Throughput: articles/s through the whole sitrep pipeline beside a bare spaCy tokenizer pass over the
same corpus in the same run (the ratio is what counts on a noisy machine), and peak memory.

    .venv/bin/python bench/throughput.py [--shared ../shared] [--repeat 1] [--workers 1] [--scaling 10]

Corpus (about 3,600 texts, read at run time from ../shared/data, never copied): the GeoWebNews articles,
the ACLED notes, the re3d documents, the PLOVER gold-standard sentences and the distinct UCDP GED (Central
African Republic) source headlines.  ``--repeat N`` processes the corpus N times.  ``--scaling N`` runs the
corpus once and then N times in the same process and reports the time ratio (the target is <= 1.05 N).

Besides wall-clock figures it reports CPU seconds of this process (``*_cpu_s``): on a machine shared with
other jobs they are the steadier measure, and their ratio is the one to compare with the <= 5x target.
Writes bench/results/throughput.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import pathlib
import resource
import sys
import time
from collections.abc import Iterator

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.batch import process_stream  # noqa: E402
from sitrep.ingest import make_article  # noqa: E402
from sitrep.model import Failure  # noqa: E402
from sitrep.nlp import make_nlp  # noqa: E402
from sitrep.pipeline import Pipeline  # noqa: E402

Doc = tuple[str, str | None]  # text, publication date


def _jsonl(path: pathlib.Path, default_date: str | None) -> Iterator[Doc]:
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                yield r["text"], r.get("published") or default_date


def _plover(path: pathlib.Path) -> Iterator[Doc]:
    with open(path, encoding="utf-8-sig") as f:
        for r in json.load(f):
            if (r.get("text") or "").strip():
                yield r["text"], (r.get("date") or None)


def _ucdp_headlines(path: pathlib.Path) -> Iterator[Doc]:
    seen: set[str] = set()
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            h = (r.get("source_headline") or "").strip()
            if h and h not in seen:
                seen.add(h)
                yield h, None


def corpus(shared: pathlib.Path) -> dict[str, list[Doc]]:
    """The corpus by part; a part whose files are missing is left out (and named on stderr)."""
    data = shared / "data"
    parts = {
        "geowebnews": lambda: _jsonl(data / "geowebnews-dev.jsonl", "2020-05-10"),
        "acled-notes": lambda: _jsonl(data / "acled-notes-dev.jsonl", "2020-05-10"),
        "re3d": lambda: (d for p in sorted(data.glob("re3d/*/documents.json")) for d in _jsonl(p, None)),
        "plover-gsr": lambda: _plover(data / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"),
        "ucdp-headlines": lambda: _ucdp_headlines(data / "ucdp-ged-caf" / "GEDEvent_v23_1_CAF.csv"),
    }
    out: dict[str, list[Doc]] = {}
    for name, read in parts.items():
        try:
            out[name] = list(read())
        except FileNotFoundError as exc:
            print(f"corpus part {name} skipped: {exc}", file=sys.stderr)
    return out


def peak_mb() -> tuple[float, float]:
    """Peak RSS (MB) of this process and of the largest finished child (worker) process."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def tokenizer_pass(nlp, docs: list[Doc]) -> tuple[float, float, int]:
    t0, c0 = time.perf_counter(), time.process_time()
    ntok = sum(len(d) for d in nlp.tokenizer.pipe((t for t, _ in docs), batch_size=64))
    return time.perf_counter() - t0, time.process_time() - c0, ntok


def sitrep_pass(docs: list[Doc], workers: int, pipe: Pipeline) -> tuple[float, float, int, int]:
    arts = (make_article(t, published=p, document_id=str(i)) for i, (t, p) in enumerate(docs))
    t0, c0 = time.perf_counter(), time.process_time()
    n_ev = n_fail = 0
    for res in process_stream(arts, workers=workers, pipeline=pipe):
        if isinstance(res, Failure):
            n_fail += 1
        else:
            n_ev += len(res.events)
    return time.perf_counter() - t0, time.process_time() - c0, n_ev, n_fail


def stage_times(docs: list[Doc], pipe: Pipeline) -> dict[str, float]:
    """CPU seconds per stage over the corpus in one process: the same work Pipeline.process does, timed
    piece by piece, to set event coding (triggers, actors, dates, numbers, extract, resolving the reports'
    actors, dates and figures, merge) beside place work (gazetteer matching, place resolution, and choosing
    each event's location among the resolved places: Resolver._locate, clocked apart as "event location"
    and taken out of "resolve reports").  Both sums are printed, and "event coding with location" keeps the
    older split (the location inside event coding) for comparison."""
    from sitrep.merge import merge_reports
    from sitrep.model import AnalyzedDoc
    from sitrep.nlp import drop_shadowed_places, split_sentences

    t: dict[str, float] = {}

    def clock(name: str, fn, *a):
        c0 = time.process_time()
        out = fn(*a)
        t[name] = t.get(name, 0.0) + time.process_time() - c0
        return out

    locate = pipe.resolver._locate

    def timed_locate(*a):
        c0 = time.process_time()
        out = locate(*a)
        t["event location"] = t.get("event location", 0.0) + time.process_time() - c0
        return out

    pipe.resolver._locate = timed_locate  # (an instance attribute: only this pipeline, only this run)
    for i, (text, published) in enumerate(docs):
        art = make_article(text, published=published, document_id=str(i))
        tokens, sentences = clock("tokens+sentences", split_sentences, pipe.analyzer.nlp, art)
        doc = AnalyzedDoc(article=art, sentences=sentences, mentions=[], tokens=tokens)
        found = []
        for m in pipe.analyzer.matchers:
            found.extend(clock(type(m).__name__, m.find, doc))
        doc.mentions = drop_shadowed_places(found)
        places = clock("place resolution", pipe.resolver.places, doc)
        reports = clock("extract", pipe.extractor.extract, doc, places)
        for r in reports:
            clock("resolve reports", pipe.resolver.resolve_report, r, doc, places)
        clock("merge", merge_reports, reports)
    del pipe.resolver._locate
    t["resolve reports"] = t.get("resolve reports", 0.0) - t.get("event location", 0.0)
    out = {k: round(v, 2) for k, v in t.items()}
    out["place work"] = round(t.get("PlaceMatcher", 0) + t.get("place resolution", 0) + t.get("event location", 0), 2)
    out["event coding"] = round(sum(t.get(k, 0) for k in ("TriggerMatcher", "ActorMatcher", "DateMatcher",
                                                          "NumberMatcher", "extract", "resolve reports",
                                                          "merge")), 2)
    out["event coding with location"] = round(out["event coding"] + t.get("event location", 0), 2)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=1, help="process the corpus this many times")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--scaling", type=int, default=0,
                    help="also time N times the corpus after the 1x run and report the ratio")
    ap.add_argument("--stages", action="store_true", help="also time each stage (one process)")
    args = ap.parse_args()
    parts = corpus(pathlib.Path(args.shared))
    base = [d for docs in parts.values() for d in docs]
    if not base:
        print("no corpus found under", args.shared, file=sys.stderr)
        return 2
    docs = base * args.repeat
    chars = sum(len(t) for t, _ in docs)

    nlp = make_nlp()
    tok_s, tok_cpu, ntok = tokenizer_pass(nlp, docs)

    t0 = time.perf_counter()
    pipe = Pipeline()  # built once before timing; with workers it is inherited by the forked processes
    load_s = time.perf_counter() - t0
    run_s, run_cpu, n_ev, n_fail = sitrep_pass(docs, args.workers, pipe)

    fig: dict[str, object] = {
        "articles": len(docs), "parts": {k: len(v) for k, v in parts.items()}, "characters": chars,
        "tokens": ntok, "workers": args.workers, "repeat": args.repeat,
        "pipeline_load_s": round(load_s, 2),
        "tokenizer_s": round(tok_s, 2), "tokenizer_articles_per_s": round(len(docs) / tok_s, 1),
        "sitrep_s": round(run_s, 2), "sitrep_articles_per_s": round(len(docs) / run_s, 1),
        "ratio_sitrep_to_tokenizer": round(run_s / tok_s, 2),
        "tokenizer_cpu_s": round(tok_cpu, 2),
    }
    if args.workers == 1:  # with workers the CPU is spent in other processes
        fig["sitrep_cpu_s"] = round(run_cpu, 2)
        fig["cpu_ratio_sitrep_to_tokenizer"] = round(run_cpu / tok_cpu, 2)
    fig.update({"events": n_ev, "failures": n_fail})
    if args.scaling > 1:
        big = docs * args.scaling
        big_s, big_cpu, _, big_fail = sitrep_pass(big, args.workers, pipe)
        fig.update({
            "scaling_articles": len(big), "scaling_s": round(big_s, 2),
            "scaling_articles_per_s": round(len(big) / big_s, 1),
            "scaling_time_ratio": round(big_s / run_s, 2), "scaling_target": round(1.05 * args.scaling, 2),
            "scaling_failures": big_fail,
        })
        if args.workers == 1:
            fig["scaling_cpu_ratio"] = round(big_cpu / run_cpu, 2)
    if args.stages:
        fig["stage_cpu_s"] = stage_times(base, pipe)
    own, child = peak_mb()
    fig["peak_rss_mb"] = round(own, 1)
    if args.workers > 1:
        fig["peak_rss_worker_mb"] = round(child, 1)
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "throughput.json").write_text(json.dumps(fig, indent=1) + "\n")
    w = max(len(k) for k in fig)
    for k, v in fig.items():
        print(f"{k:<{w}}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The batch runner: inputs -> pipeline -> writer/store, with failures reported and never fatal.

Used by the CLI.  ``run_batch`` streams: articles are read lazily and results written as they come, so
memory stays flat with corpus size.  With ``workers > 1`` documents are processed in worker processes
(each loads the pipeline once) and results come back in input order, identical to one worker.
"""
from __future__ import annotations

import multiprocessing as mp
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from sitrep.model import Article, Failure
from sitrep.pipeline import DocResult, Pipeline


@dataclass
class BatchSummary:
    documents: int = 0
    events: int = 0
    failures: list[Failure] = field(default_factory=list)
    skipped: int = 0  # already in the store

    def exit_status(self) -> int:
        if not self.failures:
            return 0
        return 1 if self.documents or self.skipped else 2


_worker_pipe: Pipeline | None = None


def _init_worker() -> None:
    global _worker_pipe
    _worker_pipe = Pipeline()


def _work(item: Article | Failure) -> DocResult | Failure:
    assert _worker_pipe is not None
    return next(iter(_worker_pipe.process_many([item])))


def process_stream(items: Iterable[Article | Failure], workers: int = 1,
                   pipeline: Pipeline | None = None) -> Iterator[DocResult | Failure]:
    if workers <= 1:
        pipe = pipeline or Pipeline()
        yield from pipe.process_many(items)
        return
    ctx = mp.get_context("fork") if sys.platform != "win32" else mp.get_context()
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        yield from pool.imap(_work, items, chunksize=8)


def run_batch(items: Iterable[Article | Failure], on_result: Callable[[DocResult], None],
              store=None, workers: int = 1, err: IO[str] | None = None,
              pipeline: Pipeline | None = None) -> BatchSummary:
    err = err or sys.stderr
    summary = BatchSummary()

    def fresh(stream):
        # with a store, articles already stored are skipped before any work is done on them
        for it in stream:
            if store is not None and isinstance(it, Article) and store.has_article(it.id):
                summary.skipped += 1
                continue
            yield it

    for res in process_stream(fresh(items), workers=workers, pipeline=pipeline):
        if isinstance(res, Failure):
            summary.failures.append(res)
            print(f"sitrep: skipped {res.describe()}", file=err)
            if store is not None:
                store.add_failure(res)
            continue
        summary.documents += 1
        summary.events += len(res.events)
        if store is not None:
            store.add(res.article, res.events)
        on_result(res)
    return summary

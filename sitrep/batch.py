"""The batch runner: inputs -> pipeline -> writer/store, with failures reported and never fatal.

Used by the CLI.  Everything streams: articles are read lazily, sent to the workers in bounded windows,
and their results written (and stored) in input order as they come, so memory stays flat with corpus size.

Engines:
  local, workers=1   in this process.
  local, workers=N   N forked worker processes (they share the pipeline built here before the fork).
  dask               dask.distributed: a LocalCluster (processes) or an existing cluster at ``scheduler``;
                     each worker builds (or receives) the pipeline once, through a worker plugin; the store
                     is written here, by the one client process.
The results are the same, in the same order, whatever the engine.  A document whose processing raises
becomes a Failure; a document that kills its worker process becomes a Failure too, and the documents
that were in flight beside it are processed again, so none is lost.

The pipeline: ``pipeline=`` (anything with ``process(article) -> DocResult``), else the one named by
the environment variable SITREP_PIPELINE ("package.module:factory"), else ``sitrep.pipeline.Pipeline()``.
"""
from __future__ import annotations

import contextlib
import importlib
import multiprocessing as mp
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from sitrep.model import Article, Failure
from sitrep.pipeline import DocResult
from sitrep.progress import Progress

Item = Article | Failure
Result = DocResult | Failure

ENGINES = ("local", "dask")
CHUNK = 8  # documents per task sent to a worker
WINDOW_PER_WORKER = 4  # chunks in flight per worker: bounded, so reading never runs far ahead
COMMIT_DOCUMENTS = 200  # a store batch is committed after this many documents ...
COMMIT_SECONDS = 1.0  # ... or this many seconds, whichever comes first
CRASHED = "worker process crashed while processing this document"


class PipelineLike(Protocol):
    def process(self, article: Article) -> DocResult: ...


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


# -- one document -----------------------------------------------------------------------------------

def default_pipeline(spec: str | None = None) -> PipelineLike:
    """The pipeline named by ``spec`` / $SITREP_PIPELINE ("module:factory"), else sitrep's Pipeline()."""
    spec = spec if spec is not None else os.environ.get("SITREP_PIPELINE")
    if spec:
        module, _, attr = spec.partition(":")
        if not module or not attr:
            from sitrep.errors import UsageError

            raise UsageError(f"SITREP_PIPELINE must look like 'package.module:factory', not {spec!r}")
        return getattr(importlib.import_module(module), attr)()
    from sitrep.pipeline import Pipeline

    return Pipeline()


def failure_for(item: Article, reason: str) -> Failure:
    return Failure(item.input_name or item.document_id or item.id, reason, item.line)


def process_one(pipe: PipelineLike, item: Item) -> Result:
    """The pipeline's result for one item; an exception inside the pipeline becomes a Failure."""
    if isinstance(item, Failure):
        return item
    try:
        return pipe.process(item)
    except Exception as exc:  # noqa: BLE001 -- one bad document never stops a batch; the reason is kept
        return failure_for(item, f"processing failed: {type(exc).__name__}: {exc}")


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- local worker processes -------------------------------------------------------------------------

_worker_pipe: PipelineLike | None = None


def _init_local_worker(pipe: PipelineLike) -> None:
    global _worker_pipe
    _worker_pipe = pipe  # inherited through fork: built once, before the workers start


def _run_chunk(chunk: list[Item]) -> list[Result]:
    assert _worker_pipe is not None
    return [process_one(_worker_pipe, item) for item in chunk]


class _LocalPool:
    """A process pool that is rebuilt when a worker dies (ProcessPoolExecutor then fails every task)."""

    def __init__(self, workers: int, pipe: PipelineLike):
        self.workers = workers
        self.pipe = pipe
        self.ctx = mp.get_context("fork") if sys.platform != "win32" else mp.get_context()
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=_init_local_worker,
                                   initargs=(self.pipe,))

    def submit(self, chunk: list[Item]) -> Future:
        try:
            return self.pool.submit(_run_chunk, chunk)
        except BrokenProcessPool:
            self.restart()
            return self.pool.submit(_run_chunk, chunk)

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def isolate(self, chunk: list[Item]) -> Iterator[Result]:
        """The chunk again, one document at a time, so a crash names the one document that causes it."""
        for item in chunk:
            if isinstance(item, Failure):
                yield item
                continue
            try:
                yield self.submit([item]).result()[0]
            except BrokenProcessPool:
                self.restart()
                yield failure_for(item, CRASHED)


def _local_parallel(items: Iterable[Item], workers: int, pipe: PipelineLike,
                    chunksize: int) -> Iterator[Result]:
    pool = _LocalPool(workers, pipe)
    window = workers * WINDOW_PER_WORKER
    pending: deque[tuple[list[Item], Future]] = deque()

    def drain_head() -> Iterator[Result]:
        chunk, fut = pending.popleft()
        try:
            results = fut.result()
        except BrokenProcessPool:
            # a worker died: every chunk in flight failed with it; finished ones keep their results
            failed = [(chunk, fut)] + list(pending)
            pending.clear()
            pool.restart()
            for c, f in failed:
                if f.done() and not f.cancelled() and f.exception() is None:
                    yield from f.result()
                else:
                    yield from pool.isolate(c)
            return
        yield from results

    try:
        for chunk in _chunks(items, chunksize):
            pending.append((chunk, pool.submit(chunk)))
            while len(pending) >= window:
                yield from drain_head()
        while pending:
            yield from drain_head()
    finally:
        pool.close()


# -- dask.distributed ---------------------------------------------------------------------------------

def set_worker_pipeline(pipe: PipelineLike) -> None:
    """The pipeline this (worker) process uses for its tasks."""
    global _worker_pipe
    _worker_pipe = pipe


def _dask_worker_pipeline() -> PipelineLike:
    global _worker_pipe
    if _worker_pipe is None:  # no plugin ran (e.g. a worker that joined oddly): build it here, once
        _worker_pipe = default_pipeline()
    return _worker_pipe


def _dask_chunk(chunk: list[Item]) -> list[Result]:
    pipe = _dask_worker_pipeline()
    return [process_one(pipe, item) for item in chunk]


def _pipeline_plugin(pipeline: PipelineLike | None, spec: str | None):
    from distributed.diagnostics.plugin import WorkerPlugin

    class SitrepPipelinePlugin(WorkerPlugin):
        """Gives each worker process its pipeline once: the one shipped here, or one built there."""

        name = "sitrep-pipeline"

        def __init__(self) -> None:
            self.pipeline = pipeline
            self.spec = spec

        def setup(self, worker: Any) -> None:
            # this class is shipped by value (cloudpickle), so it reaches the module by import
            batch = importlib.import_module("sitrep.batch")
            batch.set_worker_pipeline(self.pipeline if self.pipeline is not None
                                      else batch.default_pipeline(self.spec))

    return SitrepPipelinePlugin()


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A dask.distributed Client: to the cluster at ``scheduler``, else to a new LocalCluster of
    ``workers`` single-threaded worker processes (closed on exit)."""
    import logging

    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        from sitrep.errors import UsageError

        raise UsageError("--engine dask needs dask.distributed (pip install 'dask[distributed]')") from exc
    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    try:
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def _dask_stream(items: Iterable[Item], workers: int, pipeline: PipelineLike | None, scheduler: str | None,
                 chunksize: int, client: Any = None) -> Iterator[Result]:
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(dask_client(scheduler, workers=workers if workers > 1 else 2))
        spec = os.environ.get("SITREP_PIPELINE")
        client.register_plugin(_pipeline_plugin(pipeline, spec))
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = n_workers * WINDOW_PER_WORKER
        pending: deque[tuple[list[Item], Any]] = deque()

        def isolate(chunk: list[Item]) -> Iterator[Result]:
            for item in chunk:
                if isinstance(item, Failure):
                    yield item
                    continue
                try:
                    yield client.submit(_dask_chunk, [item], pure=False).result()[0]
                except Exception:  # noqa: BLE001 -- KilledWorker and the like: this document alone
                    yield failure_for(item, CRASHED)

        def drain_head() -> Iterator[Result]:
            chunk, fut = pending.popleft()
            try:
                results = fut.result()
            except Exception:  # noqa: BLE001 -- a worker died under this chunk: find the culprit alone
                results = None
            fut.release()
            if results is None:
                yield from isolate(chunk)
            else:
                yield from results

        for chunk in _chunks(items, chunksize):
            pending.append((chunk, client.submit(_dask_chunk, chunk, pure=False)))
            while len(pending) >= window:
                yield from drain_head()
        while pending:
            yield from drain_head()


# -- the stream and the batch -------------------------------------------------------------------------

def process_stream(items: Iterable[Item], workers: int = 1, pipeline: PipelineLike | None = None,
                   engine: str = "local", scheduler: str | None = None, chunksize: int = CHUNK,
                   client: Any = None) -> Iterator[Result]:
    """Results (DocResult or Failure) for the items, in input order, as they come.

    ``engine``: "local" (``workers`` processes; 1 = this process) or "dask" (``scheduler`` address, or a
    LocalCluster of ``workers`` processes, at least 2; or an already connected ``client``).
    """
    if engine not in ENGINES:
        from sitrep.errors import UsageError

        raise UsageError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    if engine == "dask":
        yield from _dask_stream(items, workers, pipeline, scheduler, chunksize, client)
        return
    pipe = pipeline if pipeline is not None else default_pipeline()
    if workers <= 1:
        for item in items:
            yield process_one(pipe, item)
        return
    yield from _local_parallel(items, workers, pipe, chunksize)


def run_batch(items: Iterable[Item], on_result: Callable[[DocResult], None],
              store=None, workers: int = 1, err: IO[str] | None = None,
              pipeline: PipelineLike | None = None, engine: str = "local", scheduler: str | None = None,
              progress: bool | None = None, total: int | None = None,
              commit_documents: int = COMMIT_DOCUMENTS, commit_seconds: float = COMMIT_SECONDS,
              client: Any = None) -> BatchSummary:
    """Process ``items``, call ``on_result`` for each new document, store results and failures.

    With a store, articles already stored are skipped before any work is done on them, and writes are
    grouped into transactions (every ``commit_documents`` documents or ``commit_seconds`` seconds; each
    document whole).  Failures are named on ``err``; a progress bar is shown there when it is a terminal
    (``progress`` forces it on or off; ``total`` documents, when known, gives an ETA).
    """
    err = err or sys.stderr
    summary = BatchSummary()
    bar = Progress(err, total=total, enabled=progress)

    def fresh(stream: Iterable[Item]) -> Iterator[Item]:
        for it in stream:
            if store is not None and isinstance(it, Article) and store.has_article(it.id):
                summary.skipped += 1
                bar.update(skipped=1)
                continue
            yield it

    def failed(res: Failure) -> None:
        summary.failures.append(res)
        bar.write(f"sitrep: skipped {res.describe()}")
        if store is not None:
            store.add_failure(res)
        bar.update(failures=1)

    batch = (store.batched(commit_documents, commit_seconds)
             if store is not None and hasattr(store, "batched") else contextlib.nullcontext())
    with bar, batch:
        for res in process_stream(fresh(items), workers=workers, pipeline=pipeline, engine=engine,
                                  scheduler=scheduler, client=client):
            if isinstance(res, Failure):
                failed(res)
                continue
            if store is not None:
                from sitrep.store import ArticleRejected

                try:
                    added = store.add(res.article, res.events)
                except ArticleRejected as exc:
                    failed(failure_for(res.article, f"could not be stored: {exc}"))
                    continue
                if not added:  # the same article twice in this input: stored once
                    summary.skipped += 1
                    bar.update(skipped=1)
                    continue
            summary.documents += 1
            summary.events += len(res.events)
            bar.update(documents=1, events=len(res.events))
            on_result(res)
    return summary

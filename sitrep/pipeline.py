"""Wires the stages: ingest -> nlp -> extract -> resolve -> merge (-> store / export in the shells).

The CLI, the Python API and the batch runner are thin shells over :class:`Pipeline`.
"""
from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sitrep.model import Article, Event, Failure, PlaceMention


@dataclass
class DocResult:
    """What the pipeline makes of one article."""

    article: Article
    events: list[Event] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)


def parse_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# The warm-up article (Pipeline.warm_up): a dateline, a demonym, actors, triggers, dates, figures, a distance
# from a named town, a province and a source, so that every stage runs.
_WARM_UP_TEXT = (
    "KIDAL, Mali, May 4 (Reuters) - Gunmen on motorbikes killed at least 12 civilians and wounded dozens of "
    "others in an attack on Monday on a village 30 km north of Gao, in Gao region, the Malian army said.\n\n"
    "Two days later, hundreds of protesters marched in Bamako against the killings, witnesses told AFP. "
    "French troops clashed with JNIM militants near Menaka last week; three soldiers died."
)


class Pipeline:
    """Loads registries, matchers and the gazetteer once; processes articles one at a time."""

    def __init__(self, gazetteer=None):
        from sitrep.extract import Extractor
        from sitrep.nlp import Analyzer
        from sitrep.nlp.actors import ActorMatcher
        from sitrep.nlp.dates import DateMatcher
        from sitrep.nlp.numbers import NumberMatcher
        from sitrep.nlp.places import PlaceMatcher
        from sitrep.nlp.triggers import TriggerMatcher
        from sitrep.resolve import Resolver
        from sitrep.resolve.gazetteer import Gazetteer

        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.load()
        self.analyzer = Analyzer(matchers=[
            TriggerMatcher(),
            ActorMatcher(),
            PlaceMatcher(self.gazetteer),
            DateMatcher(),
            NumberMatcher(),
        ])
        self.resolver = Resolver(self.gazetteer)
        self.extractor = Extractor()
        self.warm_up()
        # the tables just loaded (gazetteer, registries, matchers) live as long as the process: kept out of
        # the cyclic garbage collector's full passes, which would otherwise walk them every few hundred
        # documents (and, in forked workers, touch every page they sit on); collected first, so that no
        # garbage is kept with them
        gc.collect()
        gc.freeze()

    def warm_up(self) -> None:
        """Process one short made-up article, so that what the stages build at first use (the actor and
        trigger matchers for this pipeline's vocabulary, the word-frequency table, compiled patterns, word
        lists) is built here, with the pipeline, and not inside the first real document.  An error is left
        for that document to meet (and report as its failure)."""
        from sitrep.ingest import make_article
        from sitrep.resolve.dates import warm_up as warm_dateparser

        try:
            self.process(make_article(_WARM_UP_TEXT, published="2021-05-10", document_id="warm-up"))
            # the resolver's fallback for date phrases it cannot read (none in the warm-up article)
            warm_dateparser()
        except Exception:  # noqa: BLE001, S110 -- see the docstring
            pass

    # -- one article ----------------------------------------------------------------------------
    def process(self, article: Article) -> DocResult:
        from sitrep.merge import merge_reports

        doc = self.analyzer.analyze(article)
        places = self.resolver.places(doc)
        reports = self.extractor.extract(doc, places)
        for report in reports:
            self.resolver.resolve_report(report, doc, places)
        events = merge_reports(reports)
        return DocResult(article=article, events=events, places=places)

    def process_many(self, items: Iterable[Article | Failure]) -> Iterator[DocResult | Failure]:
        from sitrep.batch import process_one

        for item in items:
            yield process_one(self, item)

    # -- convenience API ------------------------------------------------------------------------
    def article(self, text: str, published=None, **meta) -> Article:
        from sitrep.ingest import make_article

        return make_article(text, published=parse_date(published), **meta)

    def extract(self, text: str, published=None, **meta) -> list[Event]:
        return self.process(self.article(text, published, **meta)).events

    def places(self, text: str, published=None, **meta) -> list[PlaceMention]:
        return self.process(self.article(text, published, **meta)).places

"""Wires the stages: ingest -> nlp -> extract -> resolve -> merge (-> store / export in the shells).

The CLI, the Python API and the batch runner are thin shells over :class:`Pipeline`.
"""
from __future__ import annotations

import datetime as dt
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

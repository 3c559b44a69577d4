"""sitrep: conflict news reports in; verifiable, source-attributed conflict-event data out.

Python API::

    import sitrep
    events = sitrep.extract(text, published="2015-04-25")
    mentions = sitrep.places(text)
    pipe = sitrep.Pipeline()          # loads registries and the gazetteer once
    events = pipe.extract(text, published=...)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from sitrep.model import Event, PlaceMention
    from sitrep.pipeline import Pipeline  # noqa: F401 -- sitrep.Pipeline, see __getattr__

_default = None


def _pipeline():
    global _default
    if _default is None:
        from sitrep.pipeline import Pipeline

        _default = Pipeline()
    return _default


def extract(text: str, published=None, **meta) -> "list[Event]":
    """Events in ``text``; ``published`` (date or 'YYYY-MM-DD') anchors relative dates."""
    return _pipeline().extract(text, published=published, **meta)


def places(text: str, published=None) -> "list[PlaceMention]":
    """Every place mention in ``text``, resolved, with its role."""
    return _pipeline().places(text, published=published)


def __getattr__(name):
    if name == "Pipeline":
        from sitrep.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)

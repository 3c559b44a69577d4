"""Whole-document articles (tests/data/docs, written for these tests) against their gold (gold.json).

Per document: every required event is found (a sub_event_type from the gold's list, placed within 25 km,
dated on one of the gold's dates, or flagged background when the gold event is background), and no
current (non-background) event sits within 25 km of a must_not place.  The matching rule is the one
../shared/tools/score.py ``docs`` applies.  What sitrep gets wrong today is marked xfail(strict=True) with
the component at fault, so a fix turns the mark into an XPASS failure and the mark must then be removed.
"""
from __future__ import annotations

import json
import math
import pathlib

import pytest

from sitrep.export import event_record

DOCS = pathlib.Path(__file__).parent / "data" / "docs"
GOLD = json.loads((DOCS / "gold.json").read_text(encoding="utf-8"))

# (document id, gold event id or "must_not") -> why sitrep fails it today
KNOWN: dict[tuple[str, str], str] = {

}


def km(lat1: float | None, lon1: float | None, lat2: float, lon2: float) -> float:
    """Great-circle km (the gazetteer's haversine); no coordinates -> infinitely far."""
    from sitrep.resolve.gazetteer import haversine

    return math.inf if lat1 is None or lon1 is None else haversine(lat1, lon1, lat2, lon2)


@pytest.fixture(scope="module")
def outputs(pipeline) -> dict[str, list[dict]]:
    out = {}
    for doc in GOLD["docs"]:
        text = (DOCS / f"{doc['id']}.txt").read_text(encoding="utf-8")
        art = pipeline.article(text, published=doc["published"], document_id=doc["id"])
        out[doc["id"]] = [event_record(e) for e in pipeline.process(art).events]
    return out


def _mark(key: tuple[str, str]):
    return [pytest.mark.xfail(strict=True, reason=KNOWN[key])] if key in KNOWN else []


REQUIRED = [pytest.param(doc["id"], g, id=f"{doc['id']}:{g['id']}", marks=_mark((doc["id"], g["id"])))
            for doc in GOLD["docs"] for g in doc["events"] if g["required"]]
MUST_NOT = [pytest.param(doc, id=doc["id"], marks=_mark((doc["id"], "must_not"))) for doc in GOLD["docs"]]


def test_gold_is_consistent():
    ids = [d["id"] for d in GOLD["docs"]]
    assert len(ids) == len(set(ids)) >= 17
    for doc in GOLD["docs"]:
        assert (DOCS / f"{doc['id']}.txt").is_file(), doc["id"]
        assert any(g["required"] for g in doc["events"]), doc["id"]
    for doc_id, _ in KNOWN:
        assert doc_id in ids, doc_id


@pytest.mark.parametrize("doc_id,g", REQUIRED)
def test_required_event_found(outputs, doc_id, g):
    recs = outputs[doc_id]
    hits = [r for r in recs if r["sub_event_type"] in g["sub"]
            and km(r["latitude"], r["longitude"], g["lat"], g["lon"]) <= 25
            and (r["event_date"] in g["dates"] or (g.get("background") and r["background"]))]
    if g.get("background"):
        hits = [r for r in hits if r["background"] or r["event_date"] in g["dates"]]
    near = [(r["sub_event_type"], r["location"], r["event_date"]) for r in recs
            if km(r["latitude"], r["longitude"], g["lat"], g["lon"]) <= 25]
    assert hits, f"{g['id']} ({g['sub'][0]}, {g['dates'][0]}) not found; near it: {near}"


@pytest.mark.parametrize("doc", MUST_NOT)
def test_must_not_places_stay_free(outputs, doc):
    bad = [(m["why"], r["sub_event_type"], r["location"], r["event_date"])
           for m in doc.get("must_not", []) for r in outputs[doc["id"]]
           if not r["background"] and km(r["latitude"], r["longitude"], m["lat"], m["lon"]) <= 25]
    assert not bad, bad

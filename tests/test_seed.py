"""The canonical case: the Jisr al-Shughur report against its hand-made gold (skipped without ../shared)."""
from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from sitrep.export import event_record
from sitrep.ingest import read_inputs


def km(a, b, c, d):
    p1, p2 = math.radians(a), math.radians(c)
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(x))


@pytest.fixture(scope="module")
def seed(pipeline, shared_dir):
    gold = json.loads((shared_dir / "gold" / "jisr-al-shughur.json").read_text())
    items = list(read_inputs([str(shared_dir / "seed" / "jisr-al-shughur.txt")], published=dt.date(2015, 4, 25)))
    assert len(items) == 1
    res = pipeline.process(items[0])
    return gold, [event_record(e) for e in res.events]


def near(rec, lat, lon, r=15.0):
    return rec["latitude"] is not None and km(rec["latitude"], rec["longitude"], lat, lon) <= r


def matching(records, g):
    loc = g["location"]
    return [r for r in records if r["event_type"] == g["event_type"] and r["sub_event_type"] == g["sub_event_type"]
            and near(r, loc["lat"], loc["lon"])]


def test_every_required_event_found_with_type_place_date_precision(seed):
    gold, recs = seed
    for g in gold["events"]:
        if not g["required"]:
            continue
        hits = matching(recs, g)
        assert hits, f"{g['id']} not found"
        want = g["date"]["value"]
        if g.get("background"):
            assert any(r["background"] for r in hits), g["id"]
            assert any(r["event_date"].startswith(want) and r["time_precision"] == g["date"]["precision"]
                       for r in hits), (g["id"], [(r["event_date"], r["time_precision"]) for r in hits])
        else:
            assert any(r["event_date"] == want and not r["background"] for r in hits), (g["id"], hits)


def test_capture_is_one_event_with_actors_fatalities_and_claims(seed):
    gold, recs = seed
    e1 = [r for r in matching(recs, gold["events"][0]) if not r["background"]]
    assert len(e1) == 1, "the capture must be one event, not one per telling"
    e1 = e1[0]
    assert e1["event_date"] == "2015-04-25" and e1["time_precision"] == 1
    assert "army of conquest" in e1["actor1"].lower() and e1["inter1"] == 2
    assert any("nusra" in a.lower() for a in e1["assoc_actor_1"])
    assert (e1["actor2"] or "").startswith("Military Forces of Syria") and e1["inter2"] == 1
    assert e1["fatalities"] == 60
    claims = e1["claims"]
    assert any("observatory" in c["source"].lower() and c["stance"] == "asserts" for c in claims), claims
    assert any("sana" in c["source"].lower() and c["stance"] == "disputes" for c in claims), claims
    for c in claims:  # every claim points at its text
        assert c["text"] and c["end"] > c["start"]


def test_background_capture_of_idlib_has_month_precision(seed):
    gold, recs = seed
    e3 = [r for r in matching(recs, gold["events"][2]) if r["background"]]
    assert e3 and e3[0]["event_date"].startswith("2015-03") and e3[0]["time_precision"] == 3


def test_no_event_at_reference_points_or_future_targets(seed):
    _, recs = seed
    for name, lat, lon in (("Aleppo", 36.2021, 37.1343), ("Latakia", 35.5317, 35.7901), ("Raqqa", 35.9528, 39.0079)):
        bad = [r for r in recs if near(r, lat, lon, 20) and not r["background"]]
        assert not bad, f"event placed in {name}: {bad}"


def test_airstrike_after_the_withdrawal_is_the_syrian_military_s(seed):
    gold, recs = seed
    e2 = matching(recs, gold["events"][1])
    assert e2 and e2[0]["actor1"].startswith("Military Forces of Syria") and e2[0]["actor2"] is None
    assert e2[0]["time_precision"] == 2
    assert any(c["source"] == "rebels" for c in e2[0]["claims"])


@pytest.fixture(scope="module")
def seed_places(pipeline, shared_dir):
    gold = json.loads((shared_dir / "gold" / "jisr-al-shughur.json").read_text())
    items = list(read_inputs([str(shared_dir / "seed" / "jisr-al-shughur.txt")], published=dt.date(2015, 4, 25)))
    return gold, pipeline.process(items[0]).places


def test_every_gold_place_is_resolved_right(seed_places):
    gold, places = seed_places
    for g in gold["places"]:
        if g.get("kind") == "admin1":  # "Idlib province": the name, read as the province
            name = g["mention"].removesuffix(" province")
            told = [p for p in places if p.span.text == name and p.level == "admin1"]
        else:
            told = [p for p in places if p.span.text == g["mention"] and p.level != "admin1"]
        assert told, f"{g['mention']} not found"
        for p in told:
            assert p.place is not None, f"{g['mention']} unresolved"
            if "lat" in g:
                assert km(p.place.lat, p.place.lon, g["lat"], g["lon"]) <= 15, (g["mention"], p.place)
            if g.get("country"):
                assert p.place.country_code == g["country"], (g["mention"], p.place)
            kind = {"admin1": "ADM1", "country": "PCLI"}.get(g.get("kind", ""))
            if kind:
                assert p.place.feature_code == kind, (g["mention"], p.place)


def test_both_distance_statements_are_checked_and_consistent(seed_places):
    gold, places = seed_places
    stated = [st for p in places for st in getattr(p, "statements", [])]
    for g in gold["spatial_statements"]:
        if "distance_mi" not in g:
            continue  # "less than 8 miles away from ...": a bound, not a stated distance
        st = [s for s in stated if s["reference_text"] == g["reference"]
              and abs(s["stated_km"] - g["distance_mi"] * 1.609) < 1]
        assert st, f"statement {g['text']!r} not checked"
        assert st[0]["consistent"] is True
        assert abs(st[0]["measured_km"] - g["measured_mi"] * 1.609) < 10

"""merge and export on hand-built reports: one event per real event, fields by the stated rules."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

from sitrep.export import EVENT_FIELDS, Writer, event_record, format_table, interaction
from sitrep.merge import merge_reports
from sitrep.model import ActorRef, Claim, EventReport, Fatalities, Place, PlaceMention, Span

TOWN = Place(geonameid=1, name="Sake", country_code="CD", lat=-1.57, lon=29.04, country="Democratic Republic of Congo",
             admin1="North Kivu", feature_code="PPL", population=17000)
OTHER = Place(geonameid=2, name="Goma", country_code="CD", lat=-1.67, lon=29.23, country="Democratic Republic of Congo",
              admin1="North Kivu", feature_code="PPLA", population=430000)


def report(sub, etype="Battles", place=TOWN, day=14, start=0, fat=None, actor1=None, claims=(), background=False,
           precision=1):
    span = Span("a1", start, start + 5, "x" * 5)
    r = EventReport(article_id="a1", document_id="doc", event_type=etype, sub_event_type=sub, trigger=span,
                    evidence=[span])
    r.location = PlaceMention(span=span, place=place, role="event location") if place else None
    r.geo_precision = 1
    r.date, r.time_precision = dt.date(2026, 3, day), precision
    if fat is not None:
        r.fatalities = Fatalities(best=fat, low=fat, known=True)
    r.actor1 = actor1
    r.claims = list(claims)
    r.background = background
    return r


def claim(source, stance, start):
    return Claim(source=source, source_kind="monitor", stance=stance, span=Span("a1", start, start + 4, "said"))


def test_same_place_and_day_merge_and_clash_folds_into_capture():
    m23 = ActorRef(name="M23: March 23 Movement", inter=2, actor_id="m23")
    evs = merge_reports([
        report("Non-state actor overtakes territory", actor1=m23, claims=[claim("officials", "asserts", 10)]),
        report("Armed clash", start=50, fat=14, claims=[claim("FARDC", "disputes", 60)]),
        report("Non-state actor overtakes territory", start=90),
    ])
    assert len(evs) == 1
    ev = evs[0]
    assert ev.sub_event_type == "Non-state actor overtakes territory"
    assert ev.actor1 is m23
    assert len(ev.reports) == 3 and ev.fatalities.best == 14
    assert [c.stance for c in ev.claims] == ["asserts", "disputes"]
    assert any(c.field in ("occurrence", "territory") for c in ev.contradictions)


def test_other_town_other_day_and_background_stay_apart():
    evs = merge_reports([
        report("Armed clash"),
        report("Armed clash", place=OTHER),
        report("Armed clash", day=16),
        report("Armed clash", background=True),
    ])
    assert len(evs) == 4


def test_unplaced_report_joins_same_type_event():
    evs = merge_reports([report("Attack", etype="Violence against civilians"),
                         report("Attack", etype="Violence against civilians", place=None, start=40)])
    assert len(evs) == 1 and len(evs[0].reports) == 2


def test_event_record_fields_and_writers():
    ev = merge_reports([report("Armed clash", fat=3, actor1=ActorRef(name="Military Forces of DR Congo", inter=1))])[0]
    ev.actor2 = ActorRef(name="M23", inter=2)
    rec = event_record(ev)
    assert set(EVENT_FIELDS) <= set(rec)
    assert rec["interaction"] == 12 and rec["location"] == "Sake" and rec["fatalities"] == 3
    assert rec["event_date"] == "2026-03-14"
    for fmt in ("jsonl", "json", "csv", "geojson", "table"):
        buf = io.StringIO()
        w = Writer(fmt, buf)
        w.write(rec)
        w.close()
        out = buf.getvalue()
        if fmt == "json":
            assert json.loads(out)[0]["event_id"] == rec["event_id"]
        elif fmt == "geojson":
            fc = json.loads(out)
            assert fc["features"][0]["geometry"]["coordinates"] == [rec["longitude"], rec["latitude"]]
        elif fmt == "csv":
            row = next(csv.DictReader(io.StringIO(out)))
            assert row["sub_event_type"] == "Armed clash" and row["background"] == "False"
        elif fmt == "jsonl":
            assert json.loads(out.splitlines()[0])["actor1"] == "Military Forces of DR Congo"
        else:
            assert "Armed clash" in out and "Sake" in out


def test_empty_outputs_are_valid():
    for fmt, check in (("json", lambda s: json.loads(s) == []),
                       ("geojson", lambda s: json.loads(s)["features"] == []),
                       ("csv", lambda s: s.startswith("event_id,"))):
        buf = io.StringIO()
        Writer(fmt, buf).close()
        assert check(buf.getvalue()), fmt
    assert "no events" in format_table([])


def test_interaction_codes():
    assert interaction(2, 1) == 12 and interaction(1, 0) == 10 and interaction(0, 0) == 0


def test_a_plain_texts_headline_joins_the_body_event_and_sets_no_place():
    import sitrep
    text = ("Mob burns houses in Manipur's capital region, curfew imposed in Imphal\n\n"
            "On 10 September 2021, a mob torched at least 20 houses in a village in Kangpokpi district, police said.")
    events = [e for e in sitrep.extract(text, published="2021-09-12") if not e.background
              and e.sub_event_type == "Mob violence"]
    assert len(events) == 1
    assert events[0].location is not None and events[0].location.place.name == "Kāngpokpi"

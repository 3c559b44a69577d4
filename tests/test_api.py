"""The Python API of DESIGN.md: sitrep.extract, sitrep.places, sitrep.Pipeline."""
from __future__ import annotations

import datetime as dt

import sitrep
from sitrep.model import Event, PlaceMention


def test_extract_places_and_pipeline_are_callable_after_the_stages_are_imported():
    import sitrep.extract.typing  # noqa: F401  (the stage package shares the API function's name)

    evs = sitrep.extract("On 3 June 2021, gunmen killed four farmers in Zamfara state, police said.",
                         published="2021-06-05")
    assert evs and all(isinstance(e, Event) for e in evs)
    assert evs[0].sub_event_type == "Attack" and evs[0].date == dt.date(2021, 6, 3)
    ms = sitrep.places("Clashes erupted in Homs and in the outskirts of Aleppo.")
    assert all(isinstance(m, PlaceMention) for m in ms)
    assert {m.span.text for m in ms} >= {"Homs", "Aleppo"}
    pipe = sitrep.Pipeline()
    assert pipe.extract("Police arrested 12 protesters in Lagos on Monday.", published=dt.date(2021, 6, 9))


def test_month_names_are_dates_not_events():
    # "March" is a month here, not a protest march
    evs = sitrep.extract("On 10 March 2020, Afghan forces repelled a Taliban attack on a checkpoint in Kunduz.",
                         published="2020-03-12")
    assert evs and evs[0].event_type == "Battles"

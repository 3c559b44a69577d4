"""Unclaimed fire along a front line is attributed by who held the ground (sitrep/data/front_lines.yaml)."""
from __future__ import annotations

import datetime as dt

import pytest

import sitrep
from sitrep.resolve.fronts import front_lines, holder

NAF = "NAF: United Armed Forces of Novorossiya"


def _main(text: str, published: str):
    events = [e for e in sitrep.extract(text, published=published) if not e.background]
    assert events, f"no event in {text!r}"
    return events[0]


def test_fire_recorded_in_government_held_town_is_the_other_sides():
    e = _main("On 14 March 2019, the monitoring mission recorded 12 explosions of undetermined weapons near "
              "Avdiivka.", "2019-03-15")
    assert e.event_type == "Explosions/Remote violence"
    assert e.actor1 is not None and e.actor1.name == NAF


def test_two_way_fire_in_separatist_held_town_puts_the_army_first():
    e = _main("On 3 June 2021, monitors counted 85 explosions and bursts of small-arms fire in both directions "
              "of the contact line near Horlivka.", "2021-06-04")
    assert e.sub_event_type == "Armed clash"
    assert e.actor1 is not None and e.actor1.name.startswith("Military Forces of Ukraine")
    assert e.actor2 is not None and e.actor2.name == NAF


def test_named_perpetrator_is_kept():
    e = _main("On 14 March 2019, Ukrainian forces shelled positions near Horlivka, the separatist "
              "authorities said.", "2019-03-15")
    assert e.actor1 is not None and e.actor1.name.startswith("Military Forces of Ukraine")


def test_rule_ends_with_the_line():
    # after the full-scale invasion the 2015-2022 line says nothing about who fired
    e = _main("On 14 March 2023, 12 explosions of undetermined weapons were recorded near Avdiivka.",
              "2023-03-15")
    assert e.actor1 is None or e.actor1.name != NAF


def test_holder_by_nearest_settlement_and_reach():
    assert holder("UA", 48.13, 37.75, dt.date(2020, 5, 1))[1] == "government"   # Avdiivka
    assert holder("UA", 48.03, 37.80, dt.date(2020, 5, 1))[1] == "other"        # Donetsk
    assert holder("UA", 49.99, 36.23, dt.date(2020, 5, 1)) is None              # Kharkiv: far from the line
    assert holder("SY", 48.03, 37.80, dt.date(2020, 5, 1)) is None              # another country's event
    assert holder("UA", 48.03, 37.80, dt.date(2014, 8, 1)) is None              # before the line settled


def test_every_line_has_two_sides_with_registry_actors():
    from sitrep.nlp.actors import registry

    reg = registry()
    for line in front_lines():
        assert len(line.sides) == 2
        for actor_id in line.sides.values():
            assert actor_id in reg.actors, f"{line.name}: unknown actor id {actor_id}"
        sides = {h[0] for h in line.held}
        assert sides == set(line.sides)
        for side, name, lat, lon in line.held:
            assert -90 <= lat <= 90 and -180 <= lon <= 180, name


@pytest.mark.parametrize("bad", [
    {"lines": {"x": {"country": "UA", "sides": {"a": "naf"}, "held": {"a": [["P", 1.0, 2.0]]}}}},
])
def test_malformed_line_is_refused(monkeypatch, bad):
    import sitrep.resolve.fronts as fronts

    monkeypatch.setattr(fronts, "load_yaml", lambda name: bad)
    fronts.front_lines.cache_clear()
    try:
        with pytest.raises(ValueError, match="exactly its two sides"):
            fronts.front_lines()
    finally:
        fronts.front_lines.cache_clear()


def test_fire_near_the_line_where_no_holder_can_be_told_is_between_the_two_sides():
    # Pokrovsk, some 35 km behind the listed line: near it, but too far to say who held it
    line = front_lines()[0]
    from sitrep.resolve.fronts import near_line
    assert holder("UA", 48.28, 37.18, dt.date(2019, 3, 15)) is None
    assert near_line("UA", 48.28, 37.18, dt.date(2019, 3, 15)) is line
    assert near_line("UA", 50.45, 30.52, dt.date(2019, 3, 15)) is None  # Kyiv: far from any front
    assert near_line("UA", 48.28, 37.18, dt.date(2023, 3, 15)) is None  # after the line's end
    # a village the gazetteer lacks, told with its province: the province is all the place there is
    e = _main("On 14 March 2019, monitors recorded 30 explosions and bursts of small-arms fire in both "
              "directions near "
              "Zavitne Bazhannia, Donetsk Oblast.", "2019-03-15")
    assert e.sub_event_type == "Armed clash"
    assert e.actor1 is not None and e.actor1.name.startswith("Military Forces of Ukraine")
    assert e.actor2 is not None and e.actor2.name == NAF

"""Words that refer back to the incident just told: "hours earlier", "the same day", "this was a cowardly
attack".  Reports written for these tests."""
from __future__ import annotations

import datetime as dt

import sitrep

STORY = """Gunmen kill three police officers in ambush near Uruapan

URUAPAN, Mexico, March 8 - Gunmen ambushed a municipal police patrol on a road outside Uruapan on Tuesday, killing three officers, the state prosecutor's office said.

"This was a cowardly attack on men who serve the public," the mayor told reporters.

Hours earlier, residents of the nearby village of San Lorenzo reported that drones had dropped explosives on two houses, the second such attack this month. Nobody was hurt."""


def _events():
    return [e for e in sitrep.extract(STORY, published="2022-03-08") if not e.background]


def test_hours_earlier_takes_the_day_of_the_incident_told_before():
    drones = [e for e in _events() if e.sub_event_type == "Air/drone strike"]
    assert drones, [e.sub_event_type for e in _events()]
    assert drones[0].date == dt.date(2022, 3, 8) and drones[0].time_precision == 1


def test_a_quote_naming_the_attack_again_is_no_second_event():
    events = _events()
    attacks = [e for e in events if e.sub_event_type == "Attack"]
    assert not attacks, [(e.sub_event_type, [r.evidence[0].text[:40] for r in e.reports]) for e in events]
    # the quote is kept as evidence of the incident it names again
    assert any("cowardly attack" in s.text for e in events for r in e.reports for s in r.evidence)


def test_same_day_inside_a_dated_sentence_keeps_the_sentence_date():
    text = ("On 6 May 2021, about 30 people protested in Gomel, demanding the release of a blogger who was "
            "arrested on the same day.")
    events = [e for e in sitrep.extract(text, published="2021-05-08") if not e.background]
    assert events and events[0].date == dt.date(2021, 5, 6)


def test_fighters_toll_after_a_battle_goes_to_that_battle():
    text = """Air strikes kill six in Idlib town as troops advance

Russian warplanes struck a market in Ariha on Friday, killing six civilians, rescuers said.

On the ground, government troops seized the village of Kafr Ruma from rebels after a night of heavy fighting, state media said. A monitor said at least 19 fighters from both sides died in the battle for the village."""
    events = [e for e in sitrep.extract(text, published="2019-12-21") if not e.background]
    battle = [e for e in events if e.event_type == "Battles"]
    strike = [e for e in events if e.sub_event_type == "Air/drone strike"]
    assert battle and battle[0].fatalities.best == 19
    assert strike and strike[0].fatalities.best == 6


STRIKE_STORY = """Air strike on village kills dozens, opposition says

MANDALAY, Myanmar, June 4 - Military jets bombed a village in Sagaing region on Tuesday, killing dozens of people, residents and an opposition group said.

The opposition government said 27 people died when two jets bombed Ywa Thit village in Kanbalu township as villagers gathered for a ceremony. An army spokesman told state television the strike had targeted fighters of the People's Defence Force and put the toll at nine."""


def test_the_strike_told_again_as_a_verbs_subject_is_the_same_strike():
    events = [e for e in sitrep.extract(STRIKE_STORY, published="2024-06-05") if not e.background]
    kinds = [e.sub_event_type for e in events]
    assert kinds == ["Air/drone strike"], kinds
    strike = events[0]
    # the army's account adds its toll to the event's figures: the lowest is the coded one, the range is kept
    assert strike.fatalities.best == 9 and strike.fatalities.high == 27
    # and the fighters the army says it targeted are not the army's allies
    assert strike.actor1 is not None and strike.actor1.name.startswith("Military Forces of Myanmar")
    assert not strike.assoc_actor_1


HEADLINE_STORY = """Gangs burn homes in capital suburb; police say 7 killed

PORT-AU-PRINCE, Haiti, Nov 12 - Armed gang members set fire to dozens of homes in the Solino neighbourhood of Port-au-Prince on Monday and shot dead at least seven residents, a police spokesman said."""


def test_a_headline_naming_who_spoke_does_not_set_the_events_actor():
    title = HEADLINE_STORY.split("\n", 1)[0]
    events = [e for e in sitrep.extract(HEADLINE_STORY, published="2024-11-13", title=title) if not e.background]
    attacks = [e for e in events if e.sub_event_type == "Attack"]
    assert len(attacks) == 1, [(e.sub_event_type, e.actor1 and e.actor1.name) for e in events]
    assert attacks[0].actor1 is not None and "Gang" in attacks[0].actor1.name, attacks[0].actor1
    assert attacks[0].fatalities.best == 7


GROUP_STORY = """MOGADISHU - A car bomb exploded near a military base in Afgoye on Thursday, killing at least seven soldiers, a police officer said. Al Shabaab claimed responsibility.

Government forces later repelled an attack by the militants on a checkpoint near Afgoye, the information ministry said, adding that 12 fighters were killed."""


def test_the_militants_are_the_one_group_the_article_named_before():
    events = [e for e in sitrep.extract(GROUP_STORY, published="2023-06-10") if not e.background]
    clash = [e for e in events if e.sub_event_type == "Armed clash"]
    assert clash, [(e.sub_event_type, e.actor1 and e.actor1.name) for e in events]
    assert clash[0].actor1 is not None and clash[0].actor1.name == "Al Shabaab", clash[0].actor1

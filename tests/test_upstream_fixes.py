"""Upstream fixes that let reports of one event merge: typing, roles and the document's country focus."""
from __future__ import annotations

import pytest

from sitrep.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def _events(pipe: Pipeline, text: str, published: str = "2023-05-10"):
    return [e for e in pipe.process(pipe.article(text, published)).events if not e.background]


def _place(ev):
    return ev.location.place if ev.location and ev.location.place else None


def test_acronym_weapon_is_not_a_participle(pipe):
    # "an IED" ends in "ed" but is a noun: the explosion types the event, not the killing
    evs = _events(pipe, "Six soldiers were killed when insurgents blew up their truck with an IED in Kunar "
                        "province on Tuesday, officials said.")
    assert evs and evs[0].sub_event_type == "Remote explosive/landmine/IED"


def test_claimed_ied_attack_is_an_explosion(pipe):
    evs = _events(pipe, "The Taliban claimed responsibility for the IED attack in Kandahar on 3 May in a statement.")
    assert evs and evs[0].sub_event_type == "Remote explosive/landmine/IED"


def test_instrument_belongs_to_the_subject(pipe):
    evs = _events(pipe, "Al Shabaab militants attacked a military base in Baidoa, Bay, with explosives on Monday, "
                        "killing four soldiers, the army said.")
    assert evs and evs[0].actor1 is not None and "Shabaab" in evs[0].actor1.name


def test_spokesman_of_group_makes_it_the_agent(pipe):
    evs = _events(pipe, "M23 spokesman Lawrence Kanyuka said on Friday that the group had captured Kitshanga, "
                        "calling it a response to attacks by the army.")
    assert evs and evs[0].actor1 is not None and evs[0].actor1.name.startswith("M23")


def test_border_countries_are_not_the_focus(pipe):
    evs = _events(pipe, "Arakan Army fighters took control of Paletwa, a strategic town near the borders with "
                        "India and Bangladesh, on 15 January, residents said.", "2024-01-16")
    assert evs and _place(evs[0]) is not None and _place(evs[0]).country_code == "MM"


def test_country_of_a_monitor_sets_the_focus(pipe):
    # Ariha is also Jericho's Arabic name: the Syrian monitor tells which one is meant
    evs = _events(pipe, "Russian jets bombed the market of Ariha on 22 July, killing 14 people, according to the "
                        "Syria Civil Defence.", "2019-07-23")
    assert evs and _place(evs[0]) is not None and _place(evs[0]).country_code == "SY"


def test_country_inside_a_town_name_counts_little(pipe):
    from sitrep.resolve.places import doc_country_focus

    doc = pipe.analyzer.analyze(pipe.article("ELN guerrillas attacked a base in Puerto Jordan, Arauca, on Sunday.",
                                             "2023-09-18"))
    focus = doc_country_focus(doc)
    assert focus and focus[0][0] == "CO"

"""The event assembler end to end on short reports written for these tests: roles, attachment of
trigger-less sentences, disputes, repeated paragraphs, headline + body, background, coalitions."""
from __future__ import annotations

import datetime as dt

PUB = dt.date(2026, 5, 10)  # a Sunday


def events(pipeline, text, published=PUB):
    return [e for e in pipeline.extract(text, published=published)]


def current(evs):
    return [e for e in evs if not e.background]


def test_passive_agent_is_actor1(pipeline):
    evs = current(events(pipeline, "On 8 May 2026, five soldiers were killed by Al Shabaab militants near "
                                   "Afgooye in Lower Shabelle."))
    assert evs, "no event"
    assert "shabaab" in evs[0].actor1.name.lower()
    assert evs[0].fatalities.best == 5


def test_weapon_planted_by_names_the_attacker(pipeline):
    # (in 2020 the Taliban were still a rebel group; from late 2021 ACLED codes them as the state's forces)
    evs = current(events(pipeline, "On 7 May 2020, a policeman was killed when a landmine planted by the "
                                   "Taliban exploded in Kandahar city.", published=dt.date(2020, 5, 9)))
    assert evs and evs[0].sub_event_type == "Remote explosive/landmine/IED"
    assert evs[0].actor1.name == "Taliban"


def test_battle_actor1_is_the_side_that_opened_fire(pipeline):
    evs = current(events(pipeline, "On 6 May 2020, Taliban militants attacked an army checkpoint in Kunduz, "
                                   "and Afghan forces responded, killing three attackers.",
                         published=dt.date(2020, 5, 9)))
    battle = [e for e in evs if e.event_type == "Battles"]
    assert battle and battle[0].actor1.name == "Taliban"
    assert "afghanistan" in battle[0].actor2.name.lower()


def test_civilians_are_never_the_perpetrator(pipeline):
    evs = current(events(pipeline, "On 5 May 2026, two civilians were wounded after gunmen opened fire on a "
                                   "market in Maiduguri."))
    assert evs
    assert evs[0].actor1 is not None and evs[0].actor1.inter != 7
    assert evs[0].actor2 is not None and evs[0].actor2.inter == 7


def test_toll_in_a_later_sentence_joins_the_battle_and_partisan_claims_only_widen_it(pipeline):
    text = ("Rebels captured the town of Kidal on Saturday after heavy fighting with government troops. "
            "A local monitor said the bodies of 23 soldiers lay in the streets of the town. "
            "State television said the army had killed dozens of terrorists.")
    evs = current(events(pipeline, text))
    capture = [e for e in evs if e.sub_event_type == "Non-state actor overtakes territory"]
    assert len(capture) == 1
    assert capture[0].fatalities.best == 23


def test_a_denial_is_a_claim_not_an_event(pipeline):
    text = ("Islamist fighters seized the town of Menaka on Saturday, residents said. "
            "The defence ministry denied that the town had fallen and said troops remained in control.")
    evs = current(events(pipeline, text))
    assert len([e for e in evs if e.event_type == "Battles"]) == 1
    claims = [c for e in evs for c in e.claims]
    assert any(c.stance in ("denies", "disputes") for c in claims)


def test_a_caption_printed_twice_gives_one_event(pipeline):
    caption = "Photo: Police fired tear gas at protesters marching in Nairobi on Saturday."
    text = f"{caption}\n\nOpposition supporters marched through Nairobi on Saturday.\n\n{caption}\n"
    evs = current(events(pipeline, text))
    kinds = [e.sub_event_type for e in evs]
    assert len(kinds) == len(set(kinds)), kinds


def test_headline_and_body_are_one_event(pipeline):
    text = ("Gunmen kill seven in northwest Nigeria\n\n"
            "Gunmen shot dead seven people in Kaura Namoda in Zamfara state on Thursday, police said.")
    evs = current(events(pipeline, text))
    assert len(evs) == 1
    assert evs[0].date == dt.date(2026, 5, 7) and evs[0].time_precision == 1
    assert evs[0].location.place.name.startswith("Kaura")


def test_last_month_is_background(pipeline):
    text = ("Last month, Islamic State fighters overran the town of Palmyra. "
            "On Saturday, Syrian troops shelled the outskirts of the town.")
    evs = events(pipeline, text)
    bg = [e for e in evs if e.background]
    assert bg and bg[0].time_precision == 3 and bg[0].date.month == 4
    assert any(not e.background and e.event_type == "Explosions/Remote violence" for e in evs)


def test_operation_leader_and_coalition_member(pipeline):
    text = ("Rebels seized the town of Idlib on Saturday. The offensive was spearheaded by the Army of "
            "Conquest, an alliance that includes the Nusra Front.")
    evs = current(events(pipeline, text, published=dt.date(2015, 3, 29)))
    cap = [e for e in evs if e.sub_event_type == "Non-state actor overtakes territory"]
    assert cap and cap[0].actor1.name == "Army of Conquest"
    assert any("Nusra" in a.name for a in cap[0].assoc_actor_1)


def test_protest_crowd_is_actor1_and_police_actor2(pipeline):
    evs = current(events(pipeline, "On 9 May 2026, nurses protested outside the health ministry in Lima "
                                   "demanding unpaid wages. Police dispersed them with tear gas."))
    prot = [e for e in evs if e.event_type == "Protests"]
    assert prot and prot[0].actor1.name.startswith("Protesters (Peru")
    assert prot[0].sub_event_type == "Protest with intervention"
    assert prot[0].actor2 is not None and "police" in prot[0].actor2.name.lower()


def test_every_field_points_to_its_text(pipeline):
    text = "On 4 May 2026, an airstrike hit a market in Saada, killing 12 civilians, medics said."
    evs = current(events(pipeline, text))
    assert evs
    ev = evs[0]
    for span in ev.evidence:
        assert text[span.start:span.end] == span.text
    assert ev.claims and ev.claims[0].span.text in text


def test_short_country_name_follows_the_story_s_country(pipeline):
    text = ("Fighting spreads in eastern Congo\n\nGOMA, Democratic Republic of Congo — M23 rebels clashed with "
            "the army near Sake in North Kivu province on Saturday, local officials said.")
    congo = [m for m in pipeline.places(text, published=PUB) if m.span.text == "Congo"]
    assert congo and congo[0].place.country_code == "CD"

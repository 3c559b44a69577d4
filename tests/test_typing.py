"""Trigger matching and event typing on short news-style sentences written for these tests."""
from __future__ import annotations

import datetime as dt
import importlib.util
import pathlib
import sys

import pytest

from sitrep.model import AnalyzedDoc, Article, Mention
from sitrep.nlp import Analyzer
from sitrep.nlp.triggers import TriggerMatcher, inflect_word, verb_forms


def _load_typing():
    try:
        import sitrep.extract.typing as mod
    except ImportError:  # the extract package's own __init__ may not import yet while it is being written
        path = pathlib.Path(__file__).resolve().parent.parent / "sitrep" / "extract" / "typing.py"
        spec = importlib.util.spec_from_file_location("sitrep_extract_typing", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
    return mod


typing_mod = _load_typing()
classify_sentence = typing_mod.classify_sentence

ANALYZER = Analyzer([TriggerMatcher()])

B, E, V, P, R, S = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                    "Strategic developments")


def analyze(text: str, published: dt.date | None = dt.date(2021, 6, 3), actors=()) -> AnalyzedDoc:
    doc = ANALYZER.analyze(Article(id="t", text=text, published=published))
    for phrase, inter in actors:  # actor mentions as sitrep.nlp.actors would give them
        start = text.index(phrase)
        doc.mentions.append(Mention("actor", start, start + len(phrase), phrase, 0, "x", {"inter": inter}))
    return doc


def top(text: str, **kw) -> tuple[str, str, str]:
    doc = analyze(text, **kw)
    results = [t for s in doc.sentences for t in classify_sentence(doc, s)]
    assert results, f"no typed trigger in {text!r}"
    t = results[0]
    return t.event_type, t.sub_event_type, t.modality


CASES = [
    # Explosions/Remote violence
    ("Government warplanes carried out airstrikes on a rebel-held village on Tuesday.", E, "Air/drone strike"),
    ("A drone strike hit a vehicle carrying militants near the border, killing three.", E, "Air/drone strike"),
    ("Helicopter gunships bombed insurgent hideouts in the hills overnight.", E, "Air/drone strike"),
    ("Rebels shelled the eastern suburbs of the city on Monday, wounding two residents.", E,
     "Shelling/artillery/missile attack"),
    ("Several mortar rounds landed in a market in the district capital.", E, "Shelling/artillery/missile attack"),
    ("Militants fired a barrage of Grad rockets at the airport.", E, "Shelling/artillery/missile attack"),
    ("A ballistic missile struck a fuel depot outside the port city.", E, "Shelling/artillery/missile attack"),
    ("A roadside bomb struck a police vehicle on the highway, killing two officers.", E,
     "Remote explosive/landmine/IED"),
    ("A car bomb exploded outside a hotel in the capital.", E, "Remote explosive/landmine/IED"),
    ("Two herders were killed when their cart hit a landmine near the village.", E, "Remote explosive/landmine/IED"),
    ("Unknown attackers threw a hand grenade into a crowded bar on Saturday night.", E, "Grenade"),
    ("A suicide bomber blew himself up at the entrance of a mosque during Friday prayers.", E, "Suicide bomb"),
    ("Activists accused government forces of a chlorine gas attack on the town.", E, "Chemical weapon"),
    # Battles
    ("Soldiers clashed with rebels near the town, and both sides suffered casualties.", B, "Armed clash"),
    ("Troops exchanged fire with gunmen at a checkpoint outside the city.", B, "Armed clash"),
    ("Militants ambushed an army patrol on the road to the border.", B, "Armed clash"),
    ("Gunmen attacked a police station in the town late on Sunday.", B, "Armed clash"),
    ("Rebels seized the town of Kora after government troops fled.", B, "Non-state actor overtakes territory"),
    ("The district headquarters fell to militants on Thursday.", B, "Non-state actor overtakes territory"),
    ("Militants captured the town after a suicide bomber and mortar fire broke through its defenses.", B,
     "Non-state actor overtakes territory"),
    ("The army recaptured the town from rebels after two days of fighting.", B, "Government regains territory"),
    ("Government forces retook control of the district center on Friday.", B, "Government regains territory"),
    # Violence against civilians
    ("Gunmen killed four civilians in a village on Monday night.", V, "Attack"),
    ("A man was found dead with gunshot wounds on a road outside the town.", V, "Attack"),
    ("The bodies of three men were found with signs of torture near the river.", V, "Attack"),
    ("Militants kidnapped a local teacher and two students from a school.", V, "Abduction/forced disappearance"),
    ("Armed men abducted five farmers working in their fields.", V, "Abduction/forced disappearance"),
    ("Militiamen raped two women in the village during the raid.", V, "Sexual violence"),
    ("Soldiers shot dead a civilian at a checkpoint on Sunday.", V, "Attack"),
    ("Militants shot and killed an off-duty policeman outside his home.", V, "Attack"),
    # Protests
    ("Hundreds of teachers protested outside the ministry demanding unpaid salaries.", P, "Peaceful protest"),
    ("Nurses staged a sit-in at the hospital over the lack of protective equipment.", P, "Peaceful protest"),
    ("Workers went on strike and marched through the city centre.", P, "Peaceful protest"),
    ("Police fired tear gas to disperse students protesting against fee increases.", P,
     "Protest with intervention"),
    ("Police arrested twenty protesters who were demonstrating outside parliament.", P,
     "Protest with intervention"),
    ("Security forces opened fire on protesters, killing three demonstrators.", P,
     "Excessive force against protesters"),
    # Riots
    ("Protesters threw stones at police and burned tyres on the main road.", R, "Violent demonstration"),
    ("Demonstrators vandalized shops and clashed with police in the capital.", R, "Violent demonstration"),
    ("An angry mob lynched a man accused of stealing a motorcycle.", R, "Mob violence"),
    ("Villagers beat a suspected thief to death in the market.", R, "Mob violence"),
    ("Supporters of two rival parties clashed with each other after the rally, injuring six.", R,
     "Mob violence"),
    # Strategic developments
    ("The two armed groups signed a ceasefire agreement in the capital.", S, "Agreement"),
    ("The government and the rebels completed a prisoner exchange on Wednesday.", S, "Agreement"),
    ("Police arrested an opposition leader at his home on Tuesday.", S, "Arrests"),
    ("Several armed factions announced the formation of a new coalition.", S, "Change to group/activity"),
    ("The militia pledged allegiance to the Islamic State group.", S, "Change to group/activity"),
    ("Soldiers seized a large cache of weapons and ammunition in a raid on a farm.", S, "Disrupted weapons use"),
    ("A bomb disposal team defused an IED planted on the main road.", S, "Disrupted weapons use"),
    ("Air defences intercepted a drone launched towards the airport.", S, "Disrupted weapons use"),
    ("The militia established a new base in the abandoned school.", S, "Headquarters or base established"),
    ("Militants looted shops and torched houses in the village.", S, "Looting/property destruction"),
    ("Rebel forces withdrew from the town and handed it over to the army without fighting.", S,
     "Non-violent transfer of territory"),
    ("Explosive remnants of war: a boy was injured by unexploded ordnance in a field.", S, "Other"),
]


@pytest.mark.parametrize("text,etype,sub", CASES, ids=[c[0][:40] for c in CASES])
def test_typing_asserted(text, etype, sub):
    assert top(text) == (etype, sub, "asserted")


def test_covers_all_sub_event_types():
    from sitrep.data import load_yaml

    tax = load_yaml("taxonomy.yaml")["event_types"]
    wanted = {(t, s) for t, spec in tax.items() for s in spec["sub_event_types"]}
    assert wanted == {(e, s) for _, e, s in CASES}


MODALITY = [
    ("The army denied that its troops had shelled the village.", "negated"),
    ("Rebels did not attack the convoy, a spokesman said.", "negated"),
    ("The group threatened to attack the town if its demands were not met.", "hypothetical"),
    ("The militants vowed to kidnap more foreign workers.", "hypothetical"),
    ("The talks could pave the way for a prisoner exchange.", "hypothetical"),
    ("Unions said workers will protest outside parliament next week.", "future"),
    ("The rebels had captured the town last month before withdrawing.", "background"),
    ("The town has been under rebel control since 2014, when insurgents seized it.", "background"),
    ("In 2012, government troops clashed with rebels in the same district.", "background"),
    ("The group considers local officials infidels who should be killed.", "not_event"),
]


@pytest.mark.parametrize("text,modality", MODALITY, ids=[m[0][:40] for m in MODALITY])
def test_modality(text, modality):
    assert top(text)[2] == modality


def test_no_fatalities_does_not_negate_event():
    assert top("Rebels shelled the town; no casualties were reported.") == (
        E, "Shelling/artillery/missile attack", "asserted")


def test_month_may_is_not_a_modal():
    assert top("On 9 May 2021, farmers protested in the town square.") == (P, "Peaceful protest", "asserted")


def test_month_march_is_not_a_protest():
    doc = analyze("On 3 March 2021, gunmen killed a trader in the market.")
    assert [m.key for m in doc.of_kind("trigger")] == ["kill"]


def test_grievance_of_protest_is_background():
    doc = analyze("Residents protested against the killing of a shopkeeper by unknown gunmen.")
    res = classify_sentence(doc, doc.sentences[0])
    assert (res[0].sub_event_type, res[0].modality) == ("Peaceful protest", "asserted")


def test_separate_events_in_one_sentence():
    doc = analyze("Troops clashed with rebels near the river; separately, a roadside bomb hit a bus in the town.")
    res = classify_sentence(doc, doc.sentences[0])
    assert [r.sub_event_type for r in res] == ["Armed clash", "Remote explosive/landmine/IED"]


def test_actor_mentions_decide_capture_direction():
    text = "The Northern Brigade took control of the town on Friday."
    assert top(text, actors=[("The Northern Brigade", 1)])[1] == "Government regains territory"
    assert top(text, actors=[("The Northern Brigade", 2)])[1] == "Non-state actor overtakes territory"


def test_actor_mentions_decide_target():
    text = "The Eagle Unit attacked the Lion Front near the bridge."
    assert top(text, actors=[("Eagle Unit", 3), ("Lion Front", 2)])[:2] == (B, "Armed clash")
    assert top(text, actors=[("Eagle Unit", 3), ("Lion Front", 7)])[:2] == (V, "Attack")


def test_arrest_after_protest_sentence_is_intervention():
    doc = analyze("Hundreds of workers marched to the governor's office. Police detained twelve of them.")
    res = classify_sentence(doc, doc.sentences[1])
    assert res[0].sub_event_type == "Protest with intervention"


def test_trigger_mentions_and_scores():
    doc = analyze("Insurgents kidnapped two aid workers.")
    (m,) = doc.of_kind("trigger")
    assert (m.kind, m.key, m.text, m.sentence) == ("trigger", "abduct", "kidnapped", 0)
    assert m.attrs["sub_event_type"] == "Abduction/forced disappearance"
    (t,) = classify_sentence(doc, doc.sentences[0])
    assert 0.0 < t.score <= 1.0 and "kidnapped" in t.cues


def test_negated_scores_lower_than_asserted():
    a = analyze("Rebels attacked the convoy.")
    n = analyze("Rebels did not attack the convoy.")
    sa = classify_sentence(a, a.sentences[0])[0].score
    sn = classify_sentence(n, n.sentences[0])[0].score
    assert sn < sa


def test_sentence_without_trigger():
    doc = analyze("The minister visited the northern province on Monday.")
    assert classify_sentence(doc, doc.sentences[0]) == []


def test_inflection():
    assert {"shelled", "shelling", "shells"} <= inflect_word("shell")
    assert {"seized", "seizing"} <= inflect_word("seize")
    assert {"carried", "carries"} <= inflect_word("carry")
    assert "took control of" in verb_forms("take control of", {"take": ["took", "taken"]})


# ---------------------------------------------------------------- rules added with the whole-system tuning
def all_typed(text: str, **kw) -> list[tuple[str, str, str]]:
    doc = analyze(text, **kw)
    return [(t.event_type, t.sub_event_type, t.modality) for s in doc.sentences for t in classify_sentence(doc, s)]


def test_ranking_comparison_is_background():
    # "the second city to fall ... after Raqqa": the ranking tells no new fall
    doc = analyze("Rebels overran Idlib, making it the second city to fall into rebel hands after Raqqa.")
    typed = [t for s in doc.sentences for t in classify_sentence(doc, s)]
    assert [t.trigger.text for t in typed if t.modality == "asserted"] == ["overran"]
    assert all_typed("It was the third town to fall into rebel hands this year, after Raqqa and Idlib.") == [
        (B, "Non-state actor overtakes territory", "background")]


def test_named_operation_is_no_battle():
    assert all_typed("The offensive, dubbed the Battle of Victory, was led by an alliance of factions.",
                     actors=[("alliance of factions", 2)]) in ([], [(B, "Armed clash", "asserted")])
    assert not any(sub == "Armed clash" for _, sub, _ in all_typed(
        "The operation, dubbed the Battle of Dignity, is led by eastern forces."))


def test_bodies_of_fighters_are_a_battle_toll():
    assert top("The bodies of more than 60 pro-government fighters lay in the streets.",
               actors=[("pro-government fighters", 1)])[:2] == (B, "Armed clash")
    assert top("The bodies of five farmers were found near the river.",
               actors=[("farmers", 7)])[:2] == (V, "Attack")


def test_heavy_machine_guns_alone_stay_shelling():
    assert top("Separatists fired mortars and heavy machine guns at army positions near the village.")[:2] == (
        E, "Shelling/artillery/missile attack")
    assert top("Separatists fired mortars and small arms at army positions near the village.")[:2] == (
        B, "Armed clash")


def test_capture_of_people_or_things_is_no_territory():
    assert top("Regime forces captured two rebels on the southern front.",
               actors=[("Regime forces", 1), ("rebels", 2)])[:2] == (B, "Armed clash")
    assert top("Gunmen captured three farmers near the village.",
               actors=[("Gunmen", 3), ("farmers", 7)])[:2] == (V, "Abduction/forced disappearance")


def test_crowd_clashing_with_police_is_mob_violence():
    assert top("A mob clashed with police after officers tried to close the market.",
               actors=[("A mob", 5), ("police", 1)])[:2] == (R, "Mob violence")


def test_reported_past_perfect_is_asserted():
    assert top("The army said its troops had liberated the old city from the militants.",
               actors=[("troops", 1), ("militants", 2)]) == (B, "Government regains territory", "asserted")


def test_traded_accusations_is_no_exchange_of_fire():
    typed = all_typed("The two sides traded accusations after artillery shells hit a school.")
    assert typed and typed[0][:2] == (E, "Shelling/artillery/missile attack")


def test_figurative_attack_and_riot_police_are_no_violence():
    assert all_typed("Editors called the new law an attack on press freedom.") == []
    assert top("Riot police watched as thousands marched peacefully through the capital.")[:2] == (
        P, "Peaceful protest")


# ---------------------------------------------------------------- whole-document discipline (round 3)
def typed_with(text: str, actors=(), places=(), **kw) -> list[tuple[str, str, str]]:
    doc = analyze(text, actors=actors, **kw)
    for name in places:  # place mentions as sitrep.nlp.places would give them
        start = text.index(name)
        doc.mentions.append(Mention("place", start, start + len(name), name, 0, name.lower(), {}))
    return [(t.event_type, t.sub_event_type, t.modality) for s in doc.sentences for t in classify_sentence(doc, s)]


def asserted(rows: list[tuple[str, str, str]]) -> list[str]:
    return [sub for _, sub, mod in rows if mod == "asserted"]


def test_bombs_dropped_from_the_air_are_air_strikes():
    assert asserted(all_typed("Two guided aerial bombs struck a furniture factory in the city on Sunday.")) == [
        "Air/drone strike"]
    assert asserted(all_typed("Villagers said drones had dropped explosives on their farms overnight.")) == [
        "Air/drone strike"]


def test_a_drone_merely_named_is_no_strike():
    assert "Air/drone strike" not in asserted(all_typed(
        "Soldiers backed by drones and dogs searched the forest near the lake."))
    assert asserted(all_typed("A drone hit a fuel depot near the port, wounding two guards.")) == [
        "Air/drone strike"]


def test_shelling_stays_shelling_beside_simultaneous_fighting():
    rows = all_typed("Shelling by the rebels killed eight civilians in the old town as fighting with the army "
                     "grew heavier.", actors=[("rebels", 2), ("army", 1)])
    assert asserted(rows)[0] == "Shelling/artillery/missile attack"
    # told in the same clause, two-sided fighting still makes heavy weapons part of a battle
    assert asserted(all_typed("Troops and rebels fought with mortars and machine guns in the old town."))[0] == \
        "Armed clash"


def test_capture_of_a_named_place_and_the_following_march():
    rows = typed_with("The rebels seized Port Delta on Monday, and the navy left the following March.",
                      actors=[("rebels", 2)], places=["Port Delta"])
    assert "Non-state actor overtakes territory" in asserted(rows)
    assert "Peaceful protest" not in [sub for _, sub, _ in rows]
    # a capitalised word that is no place is no territory
    assert typed_with("The rebels seized Reuters cameras at the gate.", actors=[("rebels", 2)]) == []


def test_who_holds_the_place_after_decides_the_capture():
    rows = all_typed("Government troops backed by allied militias seized the town of Ravel from fighters of the "
                     "Northern Front.", actors=[("Government troops", 1), ("allied militias", 3),
                                                ("Northern Front", 2)])
    assert asserted(rows) == ["Government regains territory"]
    rows = all_typed("Army units backed by clan militias recaptured the town from the Northern Front.",
                     actors=[("Army units", 1), ("clan militias", 4), ("Northern Front", 2)])
    assert asserted(rows) == ["Government regains territory"]


def test_an_attack_on_a_state_run_site_kills_civilians():
    rows = all_typed("Gunmen stormed a government clinic on Monday night, killing two nurses and a boy.",
                     actors=[("Gunmen", 3), ("government", 1)])
    assert asserted(rows) == ["Attack"]


@pytest.mark.parametrize("text", [
    "Thousands of families who fled fighting in the hills now live in tents outside the city.",
    "Mediators held talks in the capital on the release of hostages.",
    "The ministry blamed a surge in attacks on groups based across the border.",
    "Such a move would risk a new confrontation with the neighbouring state.",
    "There was no immediate word on damage.",
    "Flights to the two northern cities have been suspended since last week.",
    "Our aviation strikes only confirmed terrorist targets, the ministry said in a statement.",
    "A witness, who asked not to be named, said the market was calm.",
])
def test_non_events_emit_nothing(text):
    assert asserted(all_typed(text)) == []


def test_victims_told_again_are_no_new_event():
    doc = analyze("An air strike hit the village square, killing 30 people. "
                  "The army said some of those killed were fighters.")
    assert classify_sentence(doc, doc.sentences[1]) == []


def test_coordinated_passive_victims_are_no_mob():
    rows = all_typed("Nine people were killed and more than 20 wounded in the raids on the market town.")
    assert asserted(rows) and "Mob violence" not in asserted(rows)


def test_descriptive_relative_and_past_year_are_background():
    rows = all_typed("The army has lost ground to rebel groups that have seized control of large rural areas.")
    assert asserted(rows) == []
    rows = all_typed("Talks broke down in 2019 after the group bombed a police academy in the capital, killing "
                     "22 cadets.")
    assert asserted(rows) == []
    rows = all_typed("Hundreds of villages have been burned since the coup, rights groups say.")
    assert asserted(rows) == []


def test_demonstrate_meaning_show_sets_no_protest_scene():
    import sitrep

    for text in ("On 8 November 2021, the attacks on Kafr Nabl demonstrate the cruelty of the regime, the "
                 "opposition said.",
                 "On 8 November 2021, the raids on Kafr Nabl demonstrated that the regime ignores the truce, the "
                 "opposition said."):
        kinds = {e.event_type for e in sitrep.extract(text, published="2021-11-09")}
        assert "Protests" not in kinds and "Riots" not in kinds, (text, kinds)


def test_demonstrating_the_previous_day_is_still_a_protest():
    import sitrep

    text = "On 8 November 2021, police fired tear gas at students who demonstrated the previous day in Dhaka."
    kinds = {e.sub_event_type for e in sitrep.extract(text, published="2021-11-09")}
    assert "Protest with intervention" in kinds, kinds


def test_fire_is_no_disaster_when_the_sentence_before_tells_the_attack():
    # the cause of the fire was told just before: the deaths are the riot's, not an accident's
    text = "Youths threw petrol bombs at the tax office in Kasese on Monday night. The fire killed two guards."
    doc = analyze(text)
    assert [t.event_type for t in classify_sentence(doc, doc.sentences[1])] == [R]
    alone = analyze("Two guards were killed in the fire at the tax office in Kasese on Monday night.")
    assert classify_sentence(alone, alone.sentences[0]) == []

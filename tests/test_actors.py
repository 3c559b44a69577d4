"""Actor registry, matcher and resolver: aliases, generic classes with country, coalitions, inter codes."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.ingest import make_article
from sitrep.nlp import Analyzer
from sitrep.nlp.actors import ActorMatcher, registry
from sitrep.resolve.actors import ActorResolver


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(matchers=[ActorMatcher()])


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


def actors(analyzer, text):
    return [m for m in analyzer.analyze(make_article(text)).mentions if m.kind == "actor"]


def resolved(analyzer, resolver, text, country, date=dt.date(2020, 5, 3)):
    return [resolver.resolve(m, country, date) for m in actors(analyzer, text)]


@pytest.mark.parametrize("text", [
    "Fighters of the Nusra Front stormed the checkpoint at dawn.",
    "Jabhat al-Nusra claimed the ambush near the town.",
    "Al-Nusra Front militants shelled the village on Sunday.",
    "Jabhat Fateh al-Sham fighters withdrew from the hilltop.",
])
def test_nusra_spellings_normalize_to_one_actor(analyzer, text):
    found = actors(analyzer, text)
    assert [m.key for m in found if not m.attrs["generic"]] == ["nusra_front"]


def test_successor_name_outside_valid_years(analyzer, resolver):
    refs = resolved(analyzer, resolver, "The Nusra Front attacked army posts in southern Idlib.", "SY",
                    dt.date(2019, 6, 1))
    assert refs[0].name == "HTS: Hayat Tahrir al Sham"
    early = resolved(analyzer, resolver, "The Nusra Front attacked army posts.", "SY", dt.date(2014, 6, 1))
    assert early[0].name == "Nusra Front"


def test_coalition_membership(resolver):
    in_2015 = dt.date(2015, 6, 1)
    assert "nusra_front" in resolver.members("army_of_conquest", in_2015)
    assert "ahrar_al_sham" in resolver.members("army_of_conquest", in_2015)
    assert resolver.is_member("nusra_front", "army_of_conquest", in_2015)
    assert not resolver.is_member("nusra_front", "army_of_conquest", dt.date(2019, 1, 1))
    assert not resolver.is_member("sdf", "army_of_conquest")
    assert "ypg" in resolver.members("sdf")
    assert "al_qaeda" in resolver.related("nusra_front", "affiliate_of", in_2015)


def test_generic_gunmen_in_nigeria(analyzer, resolver):
    refs = resolved(analyzer, resolver, "Gunmen stormed a village in Zamfara State on Tuesday, residents said.", "NG")
    gunmen = next(r for r in refs if "Armed Group" in r.name)
    assert gunmen.name == "Unidentified Armed Group (Nigeria)" and gunmen.inter == 3
    assert "Civilians (Nigeria)" in {r.name for r in refs}


def test_regime_forces_are_syrian_military(analyzer, resolver):
    refs = resolved(analyzer, resolver, "Regime forces shelled the outskirts of Maarat al-Numan.", "SY")
    assert refs[0].name == "Military Forces of Syria (2000-)" and refs[0].inter == 1


def test_assads_forces_alias(analyzer, resolver):
    refs = resolved(analyzer, resolver, "Assad\u2019s forces pushed into the town overnight.", "SY")
    assert refs[0].name == "Military Forces of Syria (2000-)" and refs[0].actor_id == "sy_military"


def test_police_in_india(analyzer, resolver):
    refs = resolved(analyzer, resolver, "Police baton-charged a crowd of students in Lucknow.", "IN")
    assert refs[0].name.startswith("Police Forces of India (2014-") and refs[0].inter == 1


def test_security_forces_switch_to_police_in_police_context(analyzer, resolver):
    refs = resolved(analyzer, resolver, "Security forces fired tear gas, a police spokesman said.", "KE")
    assert refs[0].name.startswith("Police Forces of Kenya")


def test_demonym_troops_abroad_are_external(analyzer, resolver):
    refs = resolved(analyzer, resolver, "Israeli troops raided the Jenin camp before dawn.", "PS")
    assert refs[0].name.startswith("Military Forces of Israel") and refs[0].inter == 8
    home = resolved(analyzer, resolver, "Turkish troops shelled villages near Tal Tamr.", "TR")
    assert home[0].name == "Military Forces of Turkey (2016-)" and home[0].inter == 1
    abroad = resolved(analyzer, resolver, "Turkish troops shelled villages near Tal Tamr.", "SY")
    assert abroad[0].inter == 8


def test_registry_state_force_outside_home_country(analyzer, resolver):
    refs = resolved(analyzer, resolver, "The Islamic Revolutionary Guard Corps fired missiles at the base.", "IQ")
    assert refs[0].name == "Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps"
    assert refs[0].inter == 8


def test_islamic_state_branch_by_country(analyzer, resolver):
    assert resolved(analyzer, resolver, "ISIS militants ambushed a convoy.", "IQ")[0].name == "Islamic State (Iraq)"
    assert resolved(analyzer, resolver, "Daesh cells attacked a checkpoint.", "SY")[0].name == "Islamic State (Syria)"
    # "is" the verb never matches the acronym IS
    assert not [m for m in actors(analyzer, "The road is closed.") if m.key == "islamic_state"]


def test_ambiguous_acronym_decided_by_country(analyzer, resolver):
    syria = resolved(analyzer, resolver, "The SNA captured two villages.", "SY")
    somalia = resolved(analyzer, resolver, "The SNA captured two villages.", "SO")
    assert syria[0].name == "JWS: Syrian National Army"
    assert somalia[0].name.startswith("Military Forces of Somalia")


def test_longest_match_wins(analyzer):
    found = actors(analyzer, "The Afghan National Army repelled the assault.")
    assert [m.key for m in found] == ["af_military"]
    assert found[0].text == "Afghan National Army"


@pytest.mark.parametrize("text,country,name,inter", [
    ("Houthi rebels fired a ballistic missile toward Marib.", "YE",
     "Military Forces of Yemen (2016-) Supreme Political Council", 1),
    ("Al-Shabaab fighters overran the base.", "SO", "Al Shabaab", 2),
    ("JNIM claimed the attack on the convoy.", "ML", "JNIM: Group for Support of Islam and Muslims", 2),
    ("Forces loyal to Khalifa Haftar shelled Tripoli.", "LY", "Military Forces of Libya (2014-) Haftar Faction", 1),
    ("The Arakan Army seized an outpost in Rakhine.", "MM", "ULA/AA: United League of Arakan/Arakan Army", 2),
    ("Jalisco New Generation Cartel gunmen torched vehicles.", "MX", "CJNG: Jalisco New Generation Cartel", 3),
    ("FARC dissidents attacked a police station in Cauca.", "CO",
     "FARC Dissident: Revolutionary Armed Forces of Colombia Dissident Faction", 2),
    ("Naxals triggered a blast in Dantewada.", "IN", "CPI (Maoist): Communist Party of India (Maoist)", 2),
    ("Russian-backed separatists shelled the village of Pisky.", "UA", "NAF: United Armed Forces of Novorossiya", 2),
    ("Wagner mercenaries were deployed near Moura.", "ML", "Wagner Group", 8),
    ("Angry mob lynched a suspected thief.", "IN", "Rioters (India)", 5),
    ("Demonstrators blocked the highway in Lima.", "PE", "Protesters (Peru)", 6),
    ("Fulani herdsmen attacked farmers in Benue.", "NG", "Fulani Ethnic Militia (Nigeria)", 4),
])
def test_named_and_generic_actors(analyzer, resolver, text, country, name, inter):
    ref = resolved(analyzer, resolver, text, country)[0]
    assert (ref.name, ref.inter) == (name, inter)


def test_unnamed_rebels_take_country_default(analyzer, resolver):
    assert resolved(analyzer, resolver, "Rebels attacked an army post.", "SY")[0].name == "Opposition Rebels (Syria)"
    assert resolved(analyzer, resolver, "Rebels attacked an army post.", "ZZ")[0].name.startswith(
        "Unidentified Armed Group")


def test_mention_attrs_contract(analyzer):
    m = actors(analyzer, "Taliban insurgents attacked a checkpoint.")[0]
    assert m.kind == "actor" and m.key == "taliban"
    assert m.attrs["inter"] == 2 and m.attrs["name"] == "Taliban" and m.attrs["generic"] is False
    assert m.attrs["country"] == "AF"
    g = actors(analyzer, "Soldiers opened fire.")[0]
    assert g.key == "generic:military" and g.attrs["generic"] is True and g.attrs["country"] is None


@pytest.mark.parametrize("i1,i2,code", [(1, 2, 12), (2, 1, 12), (3, 7, 37), (1, 1, 11), (6, None, 60),
                                         (8, 2, 28), (5, 0, 50)])
def test_interaction(i1, i2, code):
    assert ActorResolver.interaction(i1, i2) == code


def test_registry_is_consistent():
    reg = registry()
    assert len(reg.actors) >= 300
    assert all(e.inter in range(1, 9) for e in reg.actors.values())
    assert reg.country_name("CD") == "Democratic Republic of Congo"
    assert reg.state_force_name("military", "CD", 2020) == "Military Forces of the Democratic Republic of Congo (2019-)"
    assert reg.state_force_name("military", "AF", 2015) == "Military Forces of Afghanistan (2014-2021)"
    assert reg.state_force_name("police", "IS") == "Police Forces of Iceland"


def test_group_name_as_modifier_is_not_an_actor(analyzer):
    found = actors(analyzer, "The al-Qaeda-linked Nusra Front seized the town.")
    assert [m.key for m in found] == ["nusra_front"]

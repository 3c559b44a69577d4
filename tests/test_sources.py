"""Source recognition: monitors, state media, agencies, armed-group channels, officials, witnesses."""
from __future__ import annotations

import pytest

from sitrep.ingest import make_article
from sitrep.model import ActorRef
from sitrep.nlp import Analyzer
from sitrep.nlp.actors import ActorMatcher
from sitrep.resolve.sources import SourceRegistry


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(matchers=[ActorMatcher()])


def sources(analyzer, text):
    return [m for m in analyzer.analyze(make_article(text)).mentions if m.kind == "source"]


@pytest.mark.parametrize("text,key,kind", [
    ("The Syrian Observatory for Human Rights said 12 fighters died.", "sohr", "monitor"),
    ("SOHR reported heavy shelling overnight.", "sohr", "monitor"),
    ("The Observatory said the toll was likely to rise.", "sohr", "monitor"),
    ("Syrian state news outlet SANA said terrorists were killed.", "sana", "state media"),
    ("Iran's IRNA news agency said the drone was downed.", "irna", "state media"),
    ("The Associated Press could not independently verify the claim.", "ap", "news agency"),
    ("Reuters was unable to confirm the figures.", "reuters", "news agency"),
    ("The Islamic State group claimed the bombing through its Amaq news agency.", "amaq", "armed group channel"),
    ("A military source told the agency that two soldiers were wounded.", "official", "official"),
    ("Witnesses said the gunmen fled on motorcycles.", "witness", "witness"),
    ("Local activists said the strikes hit a market.", "unnamed", "unnamed"),
])
def test_source_kinds(analyzer, text, key, kind):
    found = sources(analyzer, text)
    assert any(m.key == key and m.attrs["kind"] == kind for m in found), found
    assert SourceRegistry().kind_of(next(m for m in found if m.key == key)) == kind


def test_group_channel_is_both_actor_and_source(analyzer):
    text = "The Twitter page of the Nusra Front said its fighters downed a drone."
    doc = analyzer.analyze(make_article(text))
    chan = [m for m in doc.mentions if m.kind == "source"]
    assert chan and chan[0].key == "channel:nusra_front" and chan[0].attrs["kind"] == "armed group channel"
    assert chan[0].text == "The Twitter page of the Nusra Front"
    assert any(m.kind == "actor" and m.key == "nusra_front" for m in doc.mentions)
    tg = sources(analyzer, "Hamas's Telegram channel posted a video of the launch.")
    assert tg and tg[0].key == "channel:hamas"


def test_common_words_are_not_outlets(analyzer):
    assert not [m for m in sources(analyzer, "The attack began at dawn.") if m.key == "dawn"]


def test_registry_get_and_from_actor():
    reg = SourceRegistry()
    sohr = reg.get("sohr")
    assert sohr is not None and sohr.kind == "monitor" and "SOHR" in sohr.aliases
    assert reg.get("channel:hts").kind == "armed group channel"
    assert reg.get("no-such-source") is None
    group = reg.from_actor(ActorRef(name="Al Shabaab", inter=2, country="SO", actor_id="al_shabaab"))
    assert group.kind == "armed group channel" and group.name == "Al Shabaab"
    army = reg.from_actor(ActorRef(name="Military Forces of Somalia (2017-)", inter=1, country="SO",
                                   actor_id="so_military"))
    assert army.kind == "official"

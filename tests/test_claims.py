"""Attribution: sources, cues, quotations, nested attribution, stance, claim spans, and the seed's claims."""
from __future__ import annotations

import pytest

from sitrep.extract.claims import Attributor
from sitrep.ingest import make_article
from sitrep.nlp import Analyzer
from sitrep.nlp.actors import ActorMatcher
from sitrep.nlp.numbers import NumberMatcher
from sitrep.nlp.triggers import TriggerMatcher


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(matchers=[ActorMatcher(), TriggerMatcher(), NumberMatcher()])


@pytest.fixture(scope="module")
def attributor() -> Attributor:
    return Attributor()


def claims(analyzer, attributor, text):
    return [sc.claim for sc in attributor.claims(analyzer.analyze(make_article(text)))]


def one(analyzer, attributor, text):
    found = claims(analyzer, attributor, text)
    assert len(found) == 1, [(c.source, c.cue, c.span.text) for c in found]
    return found[0]


def test_speaker_before_cue_and_clause_span(analyzer, attributor):
    c = one(analyzer, attributor, "Gunmen killed four farmers near Gao on Monday, a local official said.")
    assert c.source == "officials" and c.source_kind == "official" and c.stance == "asserts" and c.cue == "said"
    assert c.span.text == "Gunmen killed four farmers near Gao on Monday"
    assert "fatalities" in c.what and "occurrence" in c.what


def test_according_to_speaker_follows(analyzer, attributor):
    c = one(analyzer, attributor, "According to the Syrian Observatory for Human Rights, 14 fighters died in the "
                                  "clashes near Tal Abyad.")
    assert c.source == "Syrian Observatory for Human Rights" and c.source_kind == "monitor"
    assert c.span.text.startswith("14 fighters died")


def test_appositive_is_skipped(analyzer, attributor):
    c = one(analyzer, attributor, "The Syrian Observatory for Human Rights, a monitor with a network of activists "
                                  "inside the country, said 30 fighters were killed.")
    assert c.source == "Syrian Observatory for Human Rights"
    assert c.span.text == "30 fighters were killed."


def test_quote_with_speaker_after(analyzer, attributor):
    text = "“We found the bodies of six men in the river,” a resident told AFP."
    c = one(analyzer, attributor, text)
    assert c.source_kind == "witness"
    assert c.span.text == "We found the bodies of six men in the river"
    assert text[c.span.start:c.span.end] == c.span.text


def test_quote_introduced_by_speaker(analyzer, attributor):
    c = one(analyzer, attributor, 'Reuters reported: "Troops shelled the outskirts of Marib overnight."')
    assert c.source == "Reuters" and c.source_kind == "news agency"
    assert c.span.text == "Troops shelled the outskirts of Marib overnight."


def test_nested_attribution_keeps_both(analyzer, attributor):
    c = one(analyzer, attributor, "SANA quoted a military source saying the army had killed dozens of terrorists "
                                  "near Khan Shaykhun.")
    assert c.source == "SANA" and c.source_kind == "state media"
    assert c.via == "military source"
    assert c.span.text.startswith("the army had killed dozens")


def test_media_anaphor_refers_back_to_outlet(analyzer, attributor):
    text = ("Iranian state television said the drone was shot down over Isfahan. "
            "A later bulletin quoted a security source saying the wreckage had been recovered.")
    found = claims(analyzer, attributor, text)
    assert [c.source for c in found] == ["IRNA", "IRNA"]
    assert found[1].via == "security source"


def test_stance_disputes_and_denies(analyzer, attributor):
    disputes = one(analyzer, attributor, "The army said its troops had redeployed to new positions outside "
                                         "Bakhmut.")
    assert disputes.stance == "disputes" and "territory" in disputes.what
    denies = one(analyzer, attributor, "The Russian Defence Ministry denied that its aircraft had struck the "
                                       "hospital.")
    assert denies.stance == "denies" and denies.source_kind == "official"
    false = one(analyzer, attributor, "Houthi media dismissed reports of the strike on Hodeidah as fabricated.")
    assert false.stance == "denies"
    repelled = one(analyzer, attributor, "The army said it repelled an attack on its base in Djibo.")
    assert repelled.stance == "asserts"  # the fighting happened; only its outcome is told another way


def test_two_claims_in_one_sentence_keep_own_stance(analyzer, attributor):
    found = claims(analyzer, attributor, "Witnesses said soldiers shot three protesters in Bamako, "
                                         "but the police spokesman denied that anyone was killed.")
    assert [(c.source_kind, c.stance) for c in found] == [("witness", "asserts"), ("official", "denies")]
    assert found[0].span.end <= found[1].span.start


def test_unnamed_sources(analyzer, attributor):
    c = one(analyzer, attributor, "Activists said the strikes hit a bakery in Maarat al-Numan.")
    assert c.source_kind == "unnamed"


def test_armed_group_speaks_for_itself_and_pronoun(analyzer, attributor):
    text = ("Al Shabaab claimed the attack on the base in Baidoa. "
            "The group said 30 soldiers were killed, a figure that could not be verified.")
    an = analyzer.analyze(make_article(text))
    found = attributor.claims(an)
    assert [sc.claim.source for sc in found] == ["Al Shabaab", "Al Shabaab"]
    assert all(sc.partisan for sc in found)
    assert found[1].claim.source_kind == "armed group channel" and "fatalities" in found[1].claim.what


def test_modifier_is_not_the_speaker(analyzer, attributor):
    c = claims(analyzer, attributor, "An image posted on the Twitter page of the Al Qaeda-linked Nusra Front "
                                     "shows fighters in the town square.")
    assert c and c[0].source == "Nusra Front"


def test_nouns_are_not_cues(analyzer, attributor):
    assert claims(analyzer, attributor, "The reports of shelling near Kherson could not be confirmed.") == []


# ------------------------------------------------------------------------------------------ seed
@pytest.fixture(scope="module")
def seed_events(pipeline, shared_dir):
    text = (shared_dir / "seed" / "jisr-al-shughur.txt").read_text(encoding="utf-8")
    return pipeline.extract(text, published="2015-04-25")


def _find(events, sub, place_word="shugh", background=False):
    for ev in events:
        loc = ev.location.place.name.lower() if ev.location and ev.location.place else ""
        if ev.sub_event_type == sub and place_word in loc and ev.background == background:
            return ev
    return None


def test_seed_claims_of_the_capture(seed_events):
    e1 = _find(seed_events, "Non-state actor overtakes territory")
    assert e1 is not None
    got = {(c.source, c.stance) for c in e1.claims}
    assert ("officials", "asserts") in got
    assert ("SANA", "disputes") in got
    assert ("rebels", "asserts") in got
    sana_mil = [c for c in e1.claims if c.source == "SANA" and c.via == "military source"]
    assert sana_mil and sana_mil[0].stance == "asserts"
    assert any(c.source == "Syrian Observatory for Human Rights" and c.stance == "asserts" for c in e1.claims)
    for c in e1.claims:
        assert c.span.text and c.span.end > c.span.start


def test_seed_capture_contradictions(seed_events):
    from sitrep.merge.cross import contradictions

    e1 = _find(seed_events, "Non-state actor overtakes territory")
    territory = [c for c in contradictions(e1) if c.field == "territory"]
    assert territory
    stances = {(v["source"], v["value"]) for v in territory[0].values}
    assert ("SANA", "disputes") in stances and ("officials", "asserts") in stances


def test_seed_claims_of_the_airstrikes_and_the_executions(seed_events):
    e2 = _find(seed_events, "Air/drone strike")
    assert e2 is not None and [(c.source, c.stance) for c in e2.claims] == [("rebels", "asserts")]
    e4 = _find(seed_events, "Attack")
    assert e4 is not None and any(c.source == "Nusra Front" and c.stance == "asserts" for c in e4.claims)


@pytest.mark.parametrize("text", [
    "Gunmen killed four farmers near Gao on Monday, a local official said.",
    "According to SANA, which cited a military source, the army said it repelled an attack; rebels denied it.",
    "The reports said nothing. Police claimed, and residents told AFP, that \"the army said so\".",
])
def test_cues_read_from_the_first_hit_are_the_cues(analyzer, attributor, text):
    from sitrep.nlp.numbers import lowered

    doc = analyzer.analyze(make_article(text))
    for sent in doc.sentences:
        low = lowered(sent.text)
        hit = attributor.any_low.search(low)
        if hit is None:
            continue
        assert attributor._cues(doc, sent, [], low, hit.start()) == attributor._cues(doc, sent, [], low)

"""The speed shortcuts of the date, trigger and typing code give what the plain computation gives."""
from __future__ import annotations

import re

import pytest

from sitrep.nlp import dates as D

TEXTS = [
    "Gunmen killed five villagers in Djibo on Saturday, two days after the army withdrew.",
    "On 6 May 2020, shelling hit Marinka; 3-5 May saw heavy clashes (as reported).",
    "A four-day campaign ended yesterday. In recent weeks, fighting spread; over the past 24 hours 12 died.",
    "TODAY the ministry said the attack of 2020-05-06 killed 9. Residents fled 6/5/2020 for three weeks.",
    "No date here at all, only words.",
    "The İN RECENT DAYS clause and the Kelvin sign \u212a keep the text non-ASCII since March 2019.",
    "Late last night rebels shelled the town; earlier this month, a ceasefire held for a week.",
]


def _plain_present(text: str) -> set[str]:
    return {k for k, rx in D._NEED_RX.items() if rx.search(text)}


@pytest.mark.parametrize("text", TEXTS)
def test_present_matches_plain_search(text):
    got = D._present(text)
    want = _plain_present(text)
    if "U" not in want:  # the unit-only keys are left unchecked without a unit
        want -= set("APCHF")
    assert got == want


@pytest.mark.parametrize("text", TEXTS)
def test_scan_matches_unfiltered_scan(text, monkeypatch):
    fast = D.scan.__wrapped__(text, None)
    monkeypatch.setattr(D, "_present", lambda t: set(D._NEED_RX))  # every pattern tried
    assert D.scan.__wrapped__(text, None) == fast


def test_trigger_patterns_windowed_like_whole_doc():
    from sitrep.nlp import make_nlp
    from sitrep.nlp.triggers import TriggerMatcher

    nlp = make_nlp()
    tm = TriggerMatcher()
    text = ("Militants opened fire on soldiers near the base, then fighters seized Kafranbel. "
            "Troops took control of the town after heavy shelling; protesters torched a police station.")
    doc = nlp(text)
    tm._build(doc.vocab)
    assert tm._punct_free
    assert tm._pattern_matches(doc) == list(tm._patterns(doc))


def test_cue_hits_agree_with_find_seq():
    from sitrep.extract import typing as T

    toks = T._Toks(T._Tok(m.start(), m.end(), m.group().lower())
                   for m in re.finditer(r"\w+|[^\w\s]", "they said the rebels may not attack , as planned"))
    phrases = ["may not", "not", "said the", "as planned", "rebels attack"]
    for lo, hi in ((0, None), (2, 6), (5, 9)):
        want = [(p, T._find_seq(toks, p, lo, hi)) for p in phrases]
        got = {p: T._window(toks, p, n, idx, lo, hi) for p, n, idx in T._cue_hits(toks, phrases)}
        assert [(p, got.get(p, [])) for p in phrases] == want
    assert T._tok_index(toks, toks[3].start) == 3
    assert T._tok_index(toks, 10_000) == len(toks)


@pytest.mark.parametrize("text", TEXTS + ["a four-day fight", "the 24-HOUR curfew", "-", ""])
def test_hyphen_unit_search_is_the_substring_test(text):
    low = text.lower()
    assert (D._HYPHEN_UNIT.search(low) is not None) == any(w in low for w in D._LITERALS["H"])
    assert D._holds_any(low, D._LITERALS["R"]) == any(w in low for w in D._LITERALS["R"])


@pytest.mark.parametrize("text", TEXTS)
def test_plan_is_the_patterns_whose_parts_are_present(text):
    present = D._present(text)
    want = [(k, kind, pat) for k, ((kind, pat), needs) in enumerate(zip(D._PATTERNS, D._NEEDS))
            if present.issuperset(needs)]
    assert list(D._plan(present)) == want
    assert D._plan(present) is D._plan(set(present))  # made once per set of parts

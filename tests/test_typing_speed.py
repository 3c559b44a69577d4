"""The speed paths of event typing give what the plain paths give (sentences written for these tests)."""
from __future__ import annotations

import datetime as dt
import re

from sitrep.extract import typing as T
from sitrep.model import AnalyzedDoc, Article, Mention
from sitrep.nlp import Analyzer
from sitrep.nlp.triggers import TriggerMatcher

ANALYZER = Analyzer([TriggerMatcher()])

TEXT = ("Gunmen attacked a police post near the market on Tuesday, killing two officers. "
        "Local residents said the attackers may return. "
        "Separately, nine people were killed and more than 20 wounded when militants shelled the town. "
        "The army said it had not launched an offensive in 2019 after troops were ambushed by rebels.")


def _doc(text: str = TEXT) -> AnalyzedDoc:
    doc = ANALYZER.analyze(Article(id="speed", text=text, published=dt.date(2021, 6, 3)))
    for phrase, inter in (("Gunmen", 3), ("police", 1), ("militants", 2), ("rebels", 2), ("troops", 1)):
        for m in re.finditer(phrase, text):
            sent = next(s.index for s in doc.sentences if s.start <= m.start() < s.end)
            doc.mentions.append(Mention("actor", m.start(), m.end(), phrase, sent, attrs={"inter": inter}))
    return doc


def _plain(toks: list[T._Tok]) -> list[T._Tok]:
    """The same tokens as a plain list: the code paths without the per-sentence indexes."""
    return [T._Tok(t.start, t.end, t.low) for t in toks]


def test_tokens_carry_the_word_index_of_positions():
    doc = _doc()
    s = doc.sentences[2]
    toks = T._tokens(doc, s.start, s.end)
    built = dict(toks.pos)
    toks.pos = None
    assert T._positions(toks) == built
    assert built["killed"] == [i for i, t in enumerate(toks) if t.low == "killed"]


def test_cue_hits_agree_with_find_seq_for_long_phrases():
    toks = T._Toks(T._Tok(m.start(), m.end(), m.group().lower()) for m in re.finditer(
        r"\w+|[^\w\s]", "in a separate incident , in a separate attack in the north , rebels attacked in a raid"))
    phrases = ["in a separate incident", "in a separate attack", "in a raid", "in", "rebels attacked",
               "in the south", "north"]
    got = {p: (n, idx) for p, n, idx in T._cue_hits(toks, phrases)}
    for p in phrases:
        want = T._find_seq(_plain(toks), p)
        assert got.get(p, (0, []))[1] == want, p
    assert got["in a separate attack"] == (4, [5])
    assert "in the south" not in got


def test_actors_found_alike_with_and_without_indexes():
    doc = _doc()
    for s in doc.sentences:
        toks = T._tokens(doc, s.start, s.end)
        fast = [(a.start, a.end, a.text, a.inter, a.mob) for a in T._actors(doc, s, toks)]
        slow = [(a.start, a.end, a.text, a.inter, a.mob) for a in T._actors(doc, s, _plain(toks))]
        assert fast == slow
    words = [a.text for a in T._actors(doc, doc.sentences[1], T._tokens(doc, doc.sentences[1].start,
                                                                          doc.sentences[1].end))]
    assert "residents" in " ".join(words)


def test_modality_alike_with_and_without_the_sentence_plan():
    doc = _doc()
    seen = set()
    for s in doc.sentences:
        toks = T._tokens(doc, s.start, s.end)
        actors = T._actors(doc, s, toks)
        for trig in doc.in_sentence(s.index, "trigger"):
            ti = T._tok_index(toks, trig.start)
            tj = max(ti + 1, T._tok_index(toks, trig.end - 1) + 1)
            fast = T._Ctx(doc, toks, actors, trig, ti, tj, {trig.key})
            slow = T._Ctx(doc, _plain(toks), actors, trig, ti, tj, {trig.key})
            T._roles(fast)
            T._roles(slow)
            assert (fast.passive, fast.agents, fast.targets) == (slow.passive, slow.agents, slow.targets)
            got = T.modality_of(fast)
            assert got == T.modality_of(slow)
            seen.add(got[0])
    assert "asserted" in seen and len(seen) >= 2  # the test sentences do exercise the cue scan


def test_trigger_sentences_follow_the_mentions():
    doc = _doc()
    naive = [s for s in doc.sentences[:3] if doc.in_sentence(s.index, "trigger")]
    assert T._trigger_sentences(doc, 3) == naive and naive
    assert T._trigger_sentences(doc, 0) == []
    doc.mentions = [m for m in doc.mentions if m.sentence != 0]  # a new mention list is listed anew
    assert doc.sentences[0] not in T._trigger_sentences(doc, 3)


def test_ctx_text_is_the_joined_sentence():
    doc = _doc()
    s = doc.sentences[1]
    toks = T._tokens(doc, s.start, s.end)
    trig = doc.in_sentence(s.index, "trigger")
    ctx = T._Ctx(doc, toks, [], trig[0] if trig else Mention("trigger", s.start, s.start + 1, "x", s.index),
                 0, 1, set())
    assert ctx.text == "local residents said the attackers may return ."

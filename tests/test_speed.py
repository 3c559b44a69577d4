"""The speed-ups keep results: each fast path gives what the plain computation it replaces gives."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.ingest import make_article
from sitrep.model import AnalyzedDoc, Article, Mention, Sentence
from sitrep.nlp import make_nlp
from sitrep.nlp import dates as dates_mod
from sitrep.nlp.dates import scan
from sitrep.nlp.triggers import TriggerMatcher
from sitrep.pipeline import Pipeline

TEXTS = [
    "On 4 May 2021, gunmen shot dead two farmers near Gao.\n\nThe army said troops repelled the attack "
    "on Tuesday night; the town fell into the hands of the militants a week later.",
    "Hundreds of protesters marched in Lagos on Friday against police brutality, witnesses said.",
    "Between 12 and 14 March, at least 30 civilians were killed in shelling of Idlib.  No   date here.",
    "A man was found dead in Kidal. Residents said his body bore signs of torture.",
    "",
    "Ceasefire talks resumed in Geneva (2019-11-03) after months of fighting over the past three weeks.",
]


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def _doc(nlp, text: str) -> AnalyzedDoc:
    art = Article(id="t", text=text)
    return AnalyzedDoc(article=art, sentences=[], mentions=[], tokens=nlp(text))


@pytest.mark.parametrize("text", TEXTS)
def test_token_rows_equal_the_spacy_tokens(nlp, text):
    doc = _doc(nlp, text)
    n = len(text)
    for start, end in [(0, n), (0, n // 2), (n // 3, n), (5, 6), (n // 4, 3 * n // 4)]:
        expected = [(t.idx, t.idx + len(t.text), t.lower_) for t in doc.tokens
                    if t.idx >= start and t.idx + len(t.text) <= end and not t.is_space]
        assert doc.token_rows(start, end) == expected
    assert doc.token_texts() == [t.text for t in doc.tokens]


def test_token_rows_without_tokens_are_empty():
    doc = AnalyzedDoc(article=Article(id="t", text="Some text."), sentences=[], mentions=[])
    assert doc.token_rows(0, 10) == []
    assert doc.token_texts() == []


def test_mention_index_follows_the_mentions_list():
    s = [Sentence(0, 0, 10, "x" * 10), Sentence(1, 11, 20, "y" * 9)]
    m1 = Mention("place", 0, 3, "abc", 0)
    m2 = Mention("actor", 12, 15, "def", 1)
    m3 = Mention("place", 16, 18, "gh", 1)
    doc = AnalyzedDoc(article=Article(id="t", text="z" * 20), sentences=s, mentions=[m1, m2])
    assert doc.in_sentence(1) == [m2]
    assert doc.of_kind("place") == [m1]
    doc.mentions.append(m3)  # grown in place: the index is rebuilt
    assert doc.in_sentence(1) == [m2, m3]
    assert doc.in_sentence(1, "place") == [m3]
    assert doc.of_kind("place") == [m1, m3]
    doc.mentions = [m3]  # replaced: rebuilt again
    assert doc.in_sentence(0) == []
    assert doc.of_kind("actor") == []
    # the returned lists are copies: changing one leaves the document alone
    doc.in_sentence(1).clear()
    doc.of_kind("place").clear()
    assert doc.in_sentence(1) == [m3] and doc.of_kind("place") == [m3]


def _scan_all_patterns(text: str, published):
    """scan() with every pattern run, as before the month/weekday/digit pre-check."""
    saved = dates_mod._NEEDS
    dates_mod._NEEDS = [""] * len(saved)
    try:
        scan.cache_clear()
        return scan(text, published)
    finally:
        dates_mod._NEEDS = saved
        scan.cache_clear()


@pytest.mark.parametrize("text", TEXTS + [
    "Fighting resumed last week and three days ago; since 2015 the area changed hands.",
    "Clashes on Monday and again on Wednesday morning.",
    "In May, protesters may gather; in March 2020 police marched in.",
])
def test_date_scan_pre_check_changes_nothing(text):
    pub = dt.date(2021, 5, 10)
    scan.cache_clear()
    fast = scan(text, pub)
    assert fast == _scan_all_patterns(text, pub)


def test_date_scan_still_finds_dates():
    found = scan("On 4 May 2021, and last Tuesday, in 2019.", dt.date(2021, 5, 10))
    kinds = [k for _, _, k, _ in found]
    assert kinds == ["explicit", "weekday", "year"]


def test_trigger_patterns_skipped_only_when_they_cannot_match(nlp):
    tm = TriggerMatcher(nlp)
    with_pattern = nlp("The bodies of three men were found near the river on Sunday.")
    without = nlp("Three men were found near the river on Sunday.")  # "found" alone: no pattern can match
    tm.find(AnalyzedDoc(Article(id="a", text=without.text), [Sentence(0, 0, len(without.text), without.text)],
                        [], without))
    assert tm._may_match(with_pattern)
    assert not tm._may_match(without)
    # where the check says no, the spaCy Matcher finds nothing either
    assert list(tm._patterns(without)) == []
    assert list(tm._patterns(with_pattern)) != []


def test_analyzer_results_do_not_depend_on_call_order():
    """The caches are per document: analysing A, B, then A again gives A's mentions twice the same."""
    an = Pipeline().analyzer
    a = make_article(TEXTS[0], published="2021-05-10")
    b = make_article(TEXTS[2], published="2021-05-10")
    first = [(m.kind, m.start, m.end) for m in an.analyze(a).mentions]
    assert {"place", "trigger", "date"} <= {k for k, _, _ in first}
    an.analyze(b)
    again = [(m.kind, m.start, m.end) for m in an.analyze(a).mentions]
    assert first == again

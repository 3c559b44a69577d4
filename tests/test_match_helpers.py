"""The matchers' speed helpers give what the plain computation gives."""
from __future__ import annotations

from sitrep.model import AnalyzedDoc, Article
from sitrep.nlp import make_nlp, sentence_index, split_sentences
from sitrep.nlp.numbers import sentence_finder


def test_sentence_finder_agrees_with_sentence_index():
    text = ("  Gunmen killed five villagers. Troops arrived on Monday!\n\nA new paragraph here. "
            "Mr. Smith said so. Last one")
    art = Article(id="t", text=text)
    _, sentences = split_sentences(make_nlp(), art)
    doc = AnalyzedDoc(article=art, sentences=sentences, mentions=[])
    find = sentence_finder(doc)
    assert len(sentences) > 2
    assert [find(i) for i in range(len(text) + 2)] == [sentence_index(sentences, i) for i in range(len(text) + 2)]
    assert sentence_finder(doc) is not find and sentence_finder(doc)(len(text) - 1) == find(len(text) - 1)
    empty = AnalyzedDoc(article=art, sentences=[], mentions=[])
    assert sentence_finder(empty)(5) == sentence_index([], 5) == 0

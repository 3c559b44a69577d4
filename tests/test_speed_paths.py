"""The speed-ups of tokens, sentences and place work keep results: each fast path gives what the plain
computation it replaces gives."""
from __future__ import annotations

import math
import random
import string

import pytest

from sitrep.ingest import make_article, normalize_text
from sitrep.ingest import article as article_mod
from sitrep.model import AnalyzedDoc, token_table
from sitrep.nlp import make_nlp, split_sentences
from sitrep.resolve.gazetteer import Gazetteer, _name_key_full, haversine, name_key

TEXTS = [
    "On 4 May 2021, gunmen shot dead two farmers near Gao.\n\nThe army said troops repelled the attack "
    "on Tuesday night; the town fell a week later!  \"Yes.\" Ok",
    "Mr. Smith met Gen. Ali in the U.S. capital... Then? They left. A.B. Jones said so.",
    "", " ", "Hi.", "x?!", "End.\n\n", "A.\u3002B", "ΟΔΟΣ ΑΘΗΝΑΣ. Νέα πρόταση!",
]


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


@pytest.mark.parametrize("text", TEXTS)
def test_sentences_and_token_table_equal_spacy(nlp, text):
    art = make_article(text)
    doc, sentences = split_sentences(nlp, art)
    ref = nlp(art.text)  # spaCy's own sentencizer
    assert [t.i for t in doc if t.is_sent_start] == [t.i for t in ref if t.is_sent_start]
    table = token_table(doc)
    assert table.texts == [t.text for t in ref]
    assert [bool(x) for x in table.ws] == [bool(t.whitespace_) for t in ref]
    assert [bool(x) for x in table.punct] == [t.is_punct for t in ref]
    assert [bool(x) for x in table.space] == [t.is_space for t in ref]
    assert table.sent_start == [bool(t.is_sent_start) for t in ref]
    # a Doc the sentencizer made gives the same table
    fresh = token_table(nlp(art.text))
    assert fresh.sent_start == table.sent_start and fresh.starts == table.starts
    adoc = AnalyzedDoc(article=art, sentences=sentences, mentions=[], tokens=doc)
    assert adoc.token_texts() == [t.text for t in ref]


def test_name_key_ascii_shortcut_equals_the_full_steps():
    rnd = random.Random(3)
    alphabet = string.printable + "\x1c\x1d"
    for _ in range(20000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert name_key.__wrapped__(s) == _name_key_full(s), repr(s)


def _normalize_plain(text: str) -> str:
    """normalize_text without its shortcuts (str.translate always, each line stripped one by one)."""
    text = article_mod._LINE_BREAK_RE.sub(lambda m: article_mod._LINE_BREAKS[m.group(0)], text)
    text = text.translate(article_mod._INVISIBLE).translate(article_mod._CLEAN)
    text = article_mod._SURROGATE_RE.sub("\ufffd", text)
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    text = article_mod._SPACES_RE.sub(" ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    text = article_mod._BLANK_LINES_RE.sub("\n\n", text)
    return text.strip(" \n")


def test_normalize_text_shortcuts_change_nothing():
    rnd = random.Random(4)
    pieces = ["a", "b", " ", "  ", "\n", "\t", "\r\n", "\u00a0", "\u200b", "\u3000", "\x00", "\u2029", "\x85",
              "e\u0301", "\u2028", "\ufeff", "\u00ad", "\x7f"]
    for _ in range(20000):
        s = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        assert normalize_text(s) == _normalize_plain(s), repr(s)


def test_km_and_min_km_equal_haversine():
    g = Gazetteer.load()
    rnd = random.Random(5)
    idx = [rnd.randrange(len(g.gid)) for _ in range(300)]
    for i, j in zip(idx, idx[1:]):
        want = haversine(float(g.lat[i]), float(g.lon[i]), float(g.lat[j]), float(g.lon[j]))
        assert g.km(i, j) == want
    for k in range(0, 280, 20):
        i, js = idx[k], idx[k + 1:k + 21]
        exact = min(g.km(i, j) for j in js)
        assert g.min_km(i, js) == exact
        capped = g.min_km(i, js, cap=400.0)
        assert capped == exact if exact < 400.0 else capped >= 400.0
    assert g.min_km(idx[0], []) == math.inf

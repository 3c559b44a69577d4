"""nlp stage: Article -> AnalyzedDoc (tokens, sentences, paragraphs, mentions).

spaCy's blank English pipeline gives tokens and sentence boundaries (the rule-based sentencizer); no
pretrained model is needed.  Mentions come from matchers built from the registries and the gazetteer,
one module per kind (places, actors/sources, triggers, dates, numbers); each exposes a class with
``find(analyzed) -> list[Mention]``.
"""
from __future__ import annotations

import re

import spacy

from sitrep.model import AnalyzedDoc, Article, Mention, Sentence

_PARA = re.compile(r"\n\s*\n")

# Abbreviations after which a period does not end a sentence in news text.  The sentencizer splits on
# every period; these are re-joined below because spaCy's blank pipeline has no statistical parser.
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Maj|Capt|Sgt|Gov|Sen|Rep|Rev|Prof|St|Mt|Ft|No|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|U\.K|approx|vs|etc|Inc|Ltd|Co)\.|\b[A-Z]\.)$"
)


def make_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 60_000_000
    return nlp


def split_sentences(nlp, article: Article):
    """Sentences of the article as (start, end) character ranges, never crossing a paragraph break."""
    text = article.text
    doc = nlp(text)
    out: list[tuple[int, int, int]] = []  # start, end, paragraph
    para_breaks = [m.start() for m in _PARA.finditer(text)]
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        # split further at paragraph breaks inside the spaCy sentence
        cuts = [b for b in para_breaks if s < b < e]
        pieces, cur = [], s
        for b in cuts:
            pieces.append((cur, b))
            cur = b
        pieces.append((cur, e))
        for ps, pe in pieces:
            while ps < pe and text[ps].isspace():
                ps += 1
            while pe > ps and text[pe - 1].isspace():
                pe -= 1
            if pe > ps:
                out.append((ps, pe, 0))
    # re-join splits after abbreviations
    merged: list[list[int]] = []
    for s, e, _ in out:
        if merged:
            ps, pe = merged[-1][0], merged[-1][1]
            gap = text[pe:s]
            if "\n" not in gap and _NO_BREAK_AFTER.search(text[ps:pe]) and s < len(text) and text[s].isalnum():
                merged[-1][1] = e
                continue
        merged.append([s, e])
    # paragraph index
    sentences = []
    bi = 0
    for i, (s, e) in enumerate(merged):
        while bi < len(para_breaks) and para_breaks[bi] < s:
            bi += 1
        sentences.append(Sentence(index=i, start=s, end=e, text=text[s:e], paragraph=bi,
                                  repeated=article.is_repeated(s, e)))
    return doc, sentences


class Analyzer:
    """Runs tokenization, sentence splitting and every mention matcher over an article."""

    def __init__(self, matchers=None, nlp=None):
        self.nlp = nlp or make_nlp()
        self.matchers = list(matchers or [])

    def analyze(self, article: Article) -> AnalyzedDoc:
        tokens, sentences = split_sentences(self.nlp, article)
        doc = AnalyzedDoc(article=article, sentences=sentences, mentions=[], tokens=tokens)
        found: list[Mention] = []
        for matcher in self.matchers:
            found.extend(matcher.find(doc))
        doc.mentions = drop_shadowed_places(found)
        doc.dateline = find_dateline(article.text)
        if doc.dateline is not None:
            ds, de = doc.dateline
            for m in doc.mentions:
                if ds <= m.start and m.end <= de:
                    m.attrs["dateline"] = True
        return doc


# A wire dateline: a city in capitals, optionally a country or state, a date and an agency, then a dash:
# "MARIB, Yemen, Feb 15 (AP) -", "GOMA, Democratic Republic of Congo —", "CAIRO/JERUSALEM, Jan 23 -".
# Hand-written: no library tags datelines, and their shape is a newsroom convention, not language.
_DATELINE = re.compile(
    r"(?P<dl>[A-Z][A-Z'’.\-]+(?:[ /][A-Z][A-Z'’.\-]+){0,3}"
    r"(?:,\s*[A-Z][\w.'’\-]+(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.'’\-]+){0,4}){0,2}"
    r"(?:,?\s*(?:\d{1,2}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{1,2})?"
    r"(?:,\s*\d{4})?)?"
    r"\s*(?:\([A-Za-z][\w .&-]{0,30}\))?\s*[-—–]+)\s")


def find_dateline(text: str) -> tuple[int, int] | None:
    """The dateline at the start of one of the first paragraphs, as a character range, if any."""
    starts = [0] + [m.end() for m in _PARA.finditer(text)][:3]
    for st in starts:
        m = _DATELINE.match(text, st)
        if m and len(m.group("dl").split(",")[0]) >= 3:
            return m.start("dl"), m.end("dl")
    return None


def drop_shadowed_places(mentions: list[Mention]) -> list[Mention]:
    """A place match inside an actor's or a source's name is part of that name ("SANA" is not Sanaa, the
    "Jubaland" of "Jubaland security forces" is an actor), so it is dropped; the rest is sorted by offset."""
    mentions = _drop_town_named_people(mentions)
    named = sorted((m.start, m.end) for m in mentions if m.kind in ("actor", "source") and m.end > m.start
                   and not _country_forces(m))
    forces = [(m.start, m.end) for m in mentions if m.kind == "actor" and _country_forces(m)]
    dates = [(m.start, m.end) for m in mentions if m.kind == "date"]
    out = []
    for m in mentions:
        if m.kind == "place" and any(s <= m.start and m.end <= e for s, e in named):
            continue
        if m.kind == "place" and any(s <= m.start and m.end <= e for s, e in forces):
            # "US forces", "Kenyan troops": the country is named as the forces' owner, not as where anything
            # happened; kept as a place mention (geoparsers count it) but marked so that it neither locates an
            # event nor sets the report's country focus
            m.attrs["modifier"] = True
        if m.kind == "trigger" and any(s <= m.start and m.end <= e for s, e in dates):
            continue  # "10 March 2020" holds no march
        out.append(m)
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _drop_town_named_people(mentions: list[Mention]) -> list[Mention]:
    """A town whose name is a word for people ("Man" in Cote d'Ivoire) read as a generic actor: when the
    capitalized word is told as a place ("in Man town", "in Man") the actor reading is dropped."""
    places = {(m.start, m.end): m for m in mentions if m.kind == "place"}
    if not places:
        return mentions
    drop = set()
    for m in mentions:
        pl = places.get((m.start, m.end))
        if pl is None or m.kind != "actor" or not m.attrs.get("generic") or not m.text[:1].isupper():
            continue
        if pl.attrs.get("cue") or pl.attrs.get("locative"):
            drop.add(id(m))
    return [m for m in mentions if id(m) not in drop] if drop else mentions


def _country_forces(m: Mention) -> bool:
    """A country's forces named with the country ("US forces", "Nigeria's army"): generic, or a state's own
    forces in the registry."""
    return m.kind == "actor" and bool(m.attrs.get("country")) and (
        bool(m.attrs.get("generic")) or m.attrs.get("inter") == 1)


def sentence_index(sentences: list[Sentence], start: int) -> int:
    """Index of the sentence containing character ``start`` (binary search)."""
    lo, hi = 0, len(sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sentences[mid].start <= start:
            lo = mid
        else:
            hi = mid - 1
    return sentences[lo].index if sentences else 0

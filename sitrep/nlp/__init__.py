"""nlp stage: Article -> AnalyzedDoc (tokens, sentences, paragraphs, mentions).

spaCy's blank English pipeline gives tokens and sentence boundaries (the rule-based sentencizer); no
pretrained model is needed.  Mentions come from matchers built from the registries and the gazetteer,
one module per kind (places, actors/sources, triggers, dates, numbers); each exposes a class with
``find(analyzed) -> list[Mention]``.
"""
from __future__ import annotations

import bisect
import re

import numpy as np
import spacy
from spacy.attrs import SENT_START

from sitrep.model import AnalyzedDoc, Article, Mention, Sentence, token_table

_PARA = re.compile(r"\n\s*\n")

# Abbreviations after which a period does not end a sentence in news text.  The sentencizer splits on
# every period; these are re-joined below because spaCy's blank pipeline has no statistical parser.
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Lt", "Maj", "Capt", "Sgt", "Gov", "Sen", "Rep", "Rev",
                  "Prof", "St", "Mt", "Ft", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
                  "Oct", "Nov", "Dec", "U.S", "U.N", "U.K", "approx", "vs", "etc", "Inc", "Ltd", "Co")
_NO_BREAK_AFTER = re.compile(rf"(?:\b(?:{'|'.join(map(re.escape, _ABBREVIATIONS))})\.|\b[A-Z]\.)$")
# speed: the pattern is tried on a sentence's last characters only, enough for the longest abbreviation, its
# period and the character before it (so that \b sees what it would see in the whole sentence)
_NO_BREAK_TAIL = max(map(len, _ABBREVIATIONS)) + 2


def make_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 60_000_000
    return nlp


def split_sentences(nlp, article: Article):
    """Sentences of the article as (start, end) character ranges, never crossing a paragraph break."""
    text = article.text
    punct_chars = _sentencizer_chars(nlp)
    if punct_chars is None:  # some other pipeline: run it and read its sentences
        doc = nlp(text)
        bounds = [(sent.start_char, sent.end_char) for sent in doc.sents]
    else:
        doc = nlp.make_doc(text)
        bounds = _sentencize(doc, text, punct_chars)
    out: list[tuple[int, int]] = []  # start, end
    para_breaks = [m.start() for m in _PARA.finditer(text)]
    for s, e in bounds:
        # split further at paragraph breaks inside the spaCy sentence
        pieces, cur = [], s
        k = bisect.bisect_right(para_breaks, s) if para_breaks else 0
        while k < len(para_breaks) and para_breaks[k] < e:
            pieces.append((cur, para_breaks[k]))
            cur = para_breaks[k]
            k += 1
        pieces.append((cur, e))
        for ps, pe in pieces:
            while ps < pe and text[ps].isspace():
                ps += 1
            while pe > ps and text[pe - 1].isspace():
                pe -= 1
            if pe > ps:
                out.append((ps, pe))
    # re-join splits after abbreviations
    merged: list[list[int]] = []
    for s, e in out:
        if merged:
            ps, pe = merged[-1][0], merged[-1][1]
            gap = text[pe:s]
            if "\n" not in gap and _NO_BREAK_AFTER.search(text[max(ps, pe - _NO_BREAK_TAIL):pe]) and s < len(text) \
                    and text[s].isalnum():
                merged[-1][1] = e
                continue
        merged.append([s, e])
    # paragraph index
    sentences = []
    bi = 0
    repeated = article.is_repeated if article.repeated else None
    for i, (s, e) in enumerate(merged):
        while bi < len(para_breaks) and para_breaks[bi] < s:
            bi += 1
        sentences.append(Sentence(index=i, start=s, end=e, text=text[s:e], paragraph=bi,
                                  repeated=repeated(s, e) if repeated is not None else False))
    return doc, sentences


_SENTENCIZERS: dict[int, tuple[object, tuple, frozenset[str] | None]] = {}


def _sentencizer_chars(nlp) -> frozenset[str] | None:
    """The punctuation of the pipeline's rule-based sentencizer when that is its only active component (so
    the sentences can be found from the tokens' plain lists), else None.  Kept per pipeline, and looked at
    again when its components change (speed: spaCy's ``nlp.pipeline`` builds new lists on every call)."""
    comps = getattr(nlp, "_components", None)
    state = (tuple(comps), frozenset(getattr(nlp, "_disabled", ()))) if comps is not None else None
    hit = _SENTENCIZERS.get(id(nlp))
    if hit is not None and hit[0] is nlp and state is not None and hit[1] == state:
        return hit[2]
    active = nlp.pipeline  # the active components, as nlp(text) runs them
    chars = None
    if [name for name, _ in active] == ["sentencizer"] and type(active[0][1]).__name__ == "Sentencizer":
        punct = getattr(active[0][1], "punct_chars", None)
        chars = None if punct is None else frozenset(punct)
    if len(_SENTENCIZERS) > 16:
        _SENTENCIZERS.clear()
    _SENTENCIZERS[id(nlp)] = (nlp, state, chars)
    return chars


_NOT_START = np.uint64(2**64 - 1)  # SENT_START -1 as spaCy stores it


def _sentencize(doc, text: str, punct_chars: frozenset[str]) -> list[tuple[int, int]]:
    """spaCy's rule-based sentencizer, run over the TokenTable (speed: its own loop makes a Token object
    per token): a sentence ends after a run of sentence-final punctuation, at the first token that is
    neither punctuation nor one of those characters.  The boundaries are also set on the Doc, as the
    sentencizer would set them.  Returns the sentences as (start_char, end_char)."""
    n = len(doc)
    if not n:
        return []
    table = token_table(doc, text, sentences=False)
    texts, punct = table.texts, table.punct
    starts = [0]
    k = 0
    for p in [i for i, t in enumerate(texts) if t in punct_chars]:
        if p < k:
            continue  # inside the punctuation run already passed
        k = p + 1
        while k < n and (punct[k] or texts[k] in punct_chars):
            k += 1
        if k >= n:
            break
        starts.append(k)
    flags = np.full((n, 1), _NOT_START, dtype=np.uint64)
    flags[starts, 0] = 1
    doc.from_array([SENT_START], flags)
    sent_start = table.sent_start
    for k in starts:
        sent_start[k] = True
    ts, te = table.starts, table.ends
    return [(ts[a], te[b - 1]) for a, b in zip(starts, starts[1:] + [n])]


_TOKENIZER_CACHE = 100_000


class Analyzer:
    """Runs tokenization, sentence splitting and every mention matcher over an article."""

    def __init__(self, matchers=None, nlp=None):
        if nlp is None:
            nlp = make_nlp()
            # speed: spaCy's tokenizer keeps the tokens of up to max_cache_size distinct whitespace-separated
            # chunks (10,000 by default; older spaCy has no such setting), and news text repeats far more; a
            # chunk found there skips the prefix, suffix and infix searches (the same tokens: spaCy caches no
            # chunk with a special case).  100,000 chunks take some 17 MB.
            if hasattr(nlp.tokenizer, "max_cache_size"):
                nlp.tokenizer.max_cache_size = _TOKENIZER_CACHE
        self.nlp = nlp
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
    named: list[tuple[int, int]] = []
    forces: list[tuple[int, int]] = []
    dates: list[tuple[int, int]] = []
    long_places: list[tuple[int, int]] = []
    for m in mentions:  # one pass (speed)
        if m.kind == "actor" and _country_forces(m):
            forces.append((m.start, m.end))
        elif m.kind in ("actor", "source"):
            if m.end > m.start:
                named.append((m.start, m.end))
        elif m.kind == "date":
            dates.append((m.start, m.end))
        elif m.kind == "place" and (" " in m.text or "-" in m.text):
            long_places.append((m.start, m.end))
    named.sort()
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
        if m.kind == "trigger" and long_places and any(
                s <= m.start and m.end <= e and e - s > m.end - m.start for s, e in long_places):
            continue  # "Belgrade-Stari Grad" holds no Grad rockets
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

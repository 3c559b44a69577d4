"""The typed data model: the contract every pipeline stage speaks.

ingest -> Article; nlp -> AnalyzedDoc (sentences + Mentions); extract -> EventReport (with raw mention
spans); resolve -> EventReport with normalized fields (Place, ActorRef, dates, Fatalities); merge -> Event;
store/export read Event.  Offsets are characters in the normalized ``Article.text``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import weakref
from dataclasses import dataclass, field
from typing import Any, Literal

Stance = Literal["asserts", "disputes", "denies"]

# ACLED "inter" codes (actor types).
INTER_NAMES = {
    0: "none",
    1: "state forces",
    2: "rebel group",
    3: "political militia",
    4: "identity militia",
    5: "rioters",
    6: "protesters",
    7: "civilians",
    8: "external/other forces",
}

PLACE_ROLES = ("event location", "reference point", "origin", "speaker", "other")


@dataclass(frozen=True)
class Span:
    article_id: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Article:
    id: str  # hash of the normalized text
    text: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    language: str = "en"
    document_id: str | None = None  # the input's own id (JSONL "id"), else the file path
    input_name: str | None = None  # file path (or "-") the article came from
    line: int | None = None  # line number for JSONL inputs
    # (start, end) character ranges of paragraphs that repeat an earlier paragraph of the same article
    # (a photo caption printed twice).  Sentences inside them never yield events.
    repeated: list[tuple[int, int]] = field(default_factory=list)

    def span(self, start: int, end: int) -> Span:
        return Span(self.id, start, end, self.text[start:end])

    def is_repeated(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.repeated)


@dataclass
class Failure:
    """An input (or one line/entry of it) that could not be processed."""

    input_name: str
    reason: str
    line: int | None = None

    def describe(self) -> str:
        where = self.input_name if self.line is None else f"{self.input_name}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0
    repeated: bool = False  # inside a repeated paragraph


@dataclass
class Mention:
    """A stretch of text recognized by the nlp stage's matchers.

    kind: "place", "actor", "source", "trigger", "date", "number", "cue", "demonym".
    key: what it matched (registry id, gazetteer name key, trigger label, ...).
    """

    kind: str
    start: int
    end: int
    text: str
    sentence: int
    key: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class AnalyzedDoc:
    article: Article
    sentences: list[Sentence]
    mentions: list[Mention]
    tokens: Any = None  # the spaCy Doc, for stages that want token attributes
    # the wire dateline opening the body ("MARIB, Yemen, Feb 15 (AP) -"): where and when the story was
    # filed, not where and when its events happened
    dateline: tuple[int, int] | None = None

    def in_sentence(self, index: int, kind: str | None = None) -> list[Mention]:
        by_sent, _, picked = self._mention_index()
        hit = picked.get((index, kind))
        if hit is None:  # speed: each (sentence, kind) is asked for many times by the extract steps
            hit = picked[(index, kind)] = tuple(m for m in by_sent.get(index, ()) if kind is None or m.kind == kind)
        return list(hit)

    def of_kind(self, kind: str) -> list[Mention]:
        return list(self._mention_index()[1].get(kind, ()))

    def _mention_index(self) -> tuple[dict[int, list[Mention]], dict[str, list[Mention]],
                                      dict[tuple[int, str | None], tuple[Mention, ...]]]:
        """Mentions grouped by sentence and by kind (and the answers of in_sentence), built once per
        ``mentions`` list (rebuilt when the list is replaced or grows/shrinks), so per-sentence look-ups are
        not linear scans of the whole document."""
        mentions = self.mentions
        cached = self.__dict__.get("_mention_cache")
        if cached is not None and cached[0] is mentions and cached[1] == len(mentions):
            return cached[2]
        by_sent: dict[int, list[Mention]] = {}
        by_kind: dict[str, list[Mention]] = {}
        for m in mentions:
            by_sent.setdefault(m.sentence, []).append(m)
            by_kind.setdefault(m.kind, []).append(m)
        index = (by_sent, by_kind, {})
        self.__dict__["_mention_cache"] = (mentions, len(mentions), index)
        return index

    def token_table(self) -> TokenTable | None:
        """The spaCy Doc's tokens as plain lists (see :func:`token_table`); None when there is no Doc."""
        kept = self.__dict__.get("_token_table")
        if kept is not None and kept[0] is self.tokens:
            return kept[1]
        table = None if self.tokens is None else token_table(self.tokens, self.article.text)
        self.__dict__["_token_table"] = (self.tokens, table)
        return table

    def token_texts(self) -> list[str]:
        """The text of every spaCy token (``[t.text for t in tokens]``), built once per document."""
        table = self.token_table()
        return [] if table is None else table.texts

    def token_rows(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, lower-cased text) of the non-space tokens lying wholly inside [start, end).

        The rows of the whole document are built once from ``tokens`` (the spaCy Doc) and cut by binary
        search, so asking for every sentence's tokens costs one pass over the document, not one per
        sentence.  Empty when there is no spaCy Doc."""
        table = self.token_table()
        if table is None:
            return []
        starts, ends, space, texts = table.starts, table.ends, table.space, table.texts
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_right(ends, end)
        # lower_ of English tokens is str.lower() of their text (spaCy's LOWER getter)
        return [(starts[i], ends[i], texts[i].lower()) for i in range(lo, hi) if not space[i]]


class TokenTable:
    """A spaCy Doc's tokens as plain Python lists, one entry per token, so that stages read token
    attributes without making a spaCy Token object per look-up (speed: Doc[i] builds one each time).

    starts/ends: character offsets; texts: token texts; space: whitespace-only token (IS_SPACE);
    punct: IS_PUNCT; ws: followed by a space (``whitespace_ == " "``); sent_start: ``is_sent_start``
    is true (the first token, or a sentence start the sentencizer set)."""

    __slots__ = ("ends", "punct", "sent_start", "space", "starts", "texts", "ws")

    def __init__(self, starts: list[int], ends: list[int], texts: list[str], space: list[int],
                 punct: list[int], ws: list[int], sent_start: list[bool]):
        self.starts, self.ends, self.texts = starts, ends, texts
        self.space, self.punct, self.ws, self.sent_start = space, punct, ws, sent_start

    def __len__(self) -> int:
        return len(self.starts)


# speed: kept beside the Doc, not in its user_data (that is serialized with it), and gone with it
_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def token_table(tokens: Any, text: str | None = None, sentences: bool = True) -> TokenTable:
    """The TokenTable of a spaCy Doc, built once per Doc.  ``text``: the Doc's text, when the caller has it
    (else read from the Doc); ``sentences=False``: the Doc has no sentence boundaries yet (the caller sets
    them)."""
    table = _TABLES.get(tokens)
    if table is None:
        table = _TABLES[tokens] = _build_table(tokens, text, sentences)
    return table


@functools.cache
def _table_attrs(sentences: bool) -> list[int]:
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START, SPACY  # (spaCy only when needed)

    return [IDX, LENGTH, IS_SPACE, IS_PUNCT, SPACY] + ([SENT_START] if sentences else [])


def _build_table(tokens: Any, text: str | None, sentences: bool = True) -> TokenTable:
    n = len(tokens)
    if not n:
        return TokenTable([], [], [], [], [], [], [])
    if text is None:
        text = tokens.text
    # one C-level pass instead of a Python Token object per token; the columns become lists at once
    arr = tokens.to_array(_table_attrs(sentences))
    arr[:, 1] += arr[:, 0]  # ends
    cols = arr.T.tolist()
    starts, ends, space, punct, ws = cols[:5]
    sent_start = [False] * n
    if sentences:
        for k, v in enumerate(cols[5]):
            if v == 1:
                sent_start[k] = True
    sent_start[0] = True
    texts = [text[s:e] for s, e in zip(starts, ends)]
    return TokenTable(starts, ends, texts, space, punct, ws, sent_start)


@dataclass
class Place:
    geonameid: int | None
    name: str
    country_code: str | None
    lat: float | None
    lon: float | None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature_code: str | None = None  # PPL*, ADM1, ADM2, PCLI, ...
    population: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "geonameid": self.geonameid, "name": self.name, "country_code": self.country_code,
            "country": self.country, "admin1": self.admin1, "admin2": self.admin2, "latitude": self.lat,
            "longitude": self.lon, "feature_code": self.feature_code, "population": self.population,
        }


@dataclass
class PlaceMention:
    """A place named in the text, resolved (place may be None when unresolved)."""

    span: Span
    place: Place | None
    role: str = "other"  # one of PLACE_ROLES
    level: str = "populated place"  # populated place, admin2, admin1, country, region, water
    qualifier: str | None = None  # "outskirts", "countryside", "northern", "near", ...
    score: float = 0.0


@dataclass
class ActorRef:
    name: str  # normalized (ACLED-style) name
    inter: int = 0
    country: str | None = None
    actor_id: str | None = None  # registry id, None for generic names
    spans: list[Span] = field(default_factory=list)


@dataclass
class Source:
    id: str
    name: str
    kind: str  # monitor, state media, armed group channel, news agency, official, witness, unnamed
    aliases: list[str] = field(default_factory=list)
    country: str | None = None


@dataclass
class Claim:
    source: str  # a Source or Actor name, or "unnamed"
    source_kind: str
    stance: Stance
    span: Span
    cue: str = ""
    what: list[str] = field(default_factory=list)  # event fields it supports
    via: str | None = None  # nested attribution: "SANA" quoting "a military source"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "source_kind": self.source_kind, "stance": self.stance,
                "text": self.span.text, "start": self.span.start, "end": self.span.end, "cue": self.cue,
                "what": list(self.what), "via": self.via}


@dataclass
class Fatalities:
    best: int = 0
    low: int | None = None
    high: int | None = None
    known: bool = False  # False: no figure in the report (0 with a flag)
    spans: list[Span] = field(default_factory=list)
    vague: bool = False  # only vague amounts ("dozens"): a floor that a precise figure elsewhere may refine


@dataclass
class EventReport:
    """One article's account of one event."""

    article_id: str
    document_id: str | None
    event_type: str
    sub_event_type: str
    trigger: Span
    evidence: list[Span] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    paragraph: int = 0
    # raw roles found by extract (mentions); resolve fills the normalized fields below
    actor1_mentions: list[Mention] = field(default_factory=list)
    actor2_mentions: list[Mention] = field(default_factory=list)
    assoc1_mentions: list[Mention] = field(default_factory=list)
    assoc2_mentions: list[Mention] = field(default_factory=list)
    place_mentions: list[Mention] = field(default_factory=list)
    date_mentions: list[Mention] = field(default_factory=list)
    number_mentions: list[Mention] = field(default_factory=list)
    # normalized fields
    actor1: ActorRef | None = None
    assoc_actor_1: list[ActorRef] = field(default_factory=list)
    actor2: ActorRef | None = None
    assoc_actor_2: list[ActorRef] = field(default_factory=list)
    location: PlaceMention | None = None
    geo_precision: int = 3
    date: dt.date | None = None
    date_end: dt.date | None = None
    time_precision: int = 2
    fatalities: Fatalities = field(default_factory=Fatalities)
    # FatalityFigure objects (sitrep.extract.fatalities) the fatalities were computed from, each tagged
    # with the sentence it came from and whether its source is partisan
    fatality_figures: list[Any] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    background: bool = False
    confidence: float = 0.5
    flags: list[str] = field(default_factory=list)


@dataclass
class Contradiction:
    field: str  # "fatalities", "territory", "actor1", ...
    values: list[dict[str, Any]]  # [{"value": ..., "source": ..., "stance": ..., "start":..., "end":...}]


@dataclass
class Event:
    """One real-world event, from one or more reports; fields resolved by stated rules."""

    event_id: str
    reports: list[EventReport]
    event_type: str
    sub_event_type: str
    actor1: ActorRef | None
    assoc_actor_1: list[ActorRef]
    actor2: ActorRef | None
    assoc_actor_2: list[ActorRef]
    location: PlaceMention | None
    geo_precision: int
    date: dt.date | None
    date_end: dt.date | None
    time_precision: int
    fatalities: Fatalities
    claims: list[Claim]
    background: bool
    confidence: float
    contradictions: list[Contradiction] = field(default_factory=list)
    notes: str = ""

    @property
    def document_id(self) -> str | None:
        return self.reports[0].document_id if self.reports else None

    @property
    def evidence(self) -> list[Span]:
        seen, out = set(), []
        for r in self.reports:
            for s in r.evidence:
                if (s.article_id, s.start, s.end) not in seen:
                    seen.add((s.article_id, s.start, s.end))
                    out.append(s)
        return out

"""Event typing: which ACLED event type / sub-event type a sentence's trigger stands for, and its modality.

``classify_sentence(doc, sentence) -> list[TypedTrigger]``.  The lexicon (trigger classes, their default
types, priorities and ordered context overrides) is data in sitrep/data/triggers.yaml; the modality cues
are in sitrep/data/modality.yaml.  This module implements the named context conditions the overrides use
(CONDITIONS) and the modality scan.  Hand-written because the blank spaCy pipeline has no parser: roles
(agent / target) are approximated by word order and passive markers, which holds well for news prose.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sitrep.data import load_yaml
from sitrep.model import AnalyzedDoc, Mention, Sentence
from sitrep.nlp.numbers import WORD_VALUES  # the number recognizer's word table

MODALITIES = ("asserted", "negated", "hypothetical", "future", "background", "not_event")
ARMED = {1, 2, 3, 4, 8}
NONSTATE = {2, 3, 4}
_TOKEN = re.compile(r"\w+|[^\w\s]")
_CLAUSE_BREAK = frozenset({";", ":", "but", "while", "whereas", "although", "however"})
_PASSIVE_AUX = {"was", "were", "been", "being", "is", "are", "be", "got", "get", "gets"}
_ADVERBS = {"reportedly", "allegedly", "also", "later", "then", "reported", "all", "both", "subsequently",
            "fatally", "seriously", "critically", "brutally", "shot", "and", "apparently"}
_OBJECT_WORDS = {"village", "house", "houses", "home", "homes", "market", "school", "hospital", "church", "mosque",
                 "vehicle", "bus", "car", "shop", "household", "households", "body", "bodies", "corpse", "remains"}
_BODY_WORDS = {"body", "bodies", "corpse", "corpses", "remains", "cadaver", "cadavers"}
_ARTICLES = {"a", "an", "the", "this", "that", "his", "her", "their", "its"}
_START = operator.attrgetter("start")  # a sort key (speed: no Python call per item)
_MODALITY_FACTOR = {"asserted": 1.0, "background": 0.6, "negated": 0.4, "hypothetical": 0.4, "future": 0.4,
                    "not_event": 0.3}


@dataclass
class TypedTrigger:
    trigger: Mention
    event_type: str
    sub_event_type: str
    score: float
    modality: str = "asserted"
    cues: list[str] = field(default_factory=list)


class _Tok(NamedTuple):  # speed: made per token of every sentence with a trigger (in C, see _make_tokens)
    start: int
    end: int
    low: str


_new_tok = functools.partial(tuple.__new__, _Tok)  # a _Tok from a (start, end, low) row, without Python code


@dataclass
class _Actor:
    start: int
    end: int
    text: str
    inter: int
    mob: bool = False
    crowd: bool = False  # members/supporters of a group, not its fighters


@dataclass
class _Ctx:
    """Everything the conditions need about one sentence (or clause) and one trigger in it."""

    doc: AnalyzedDoc
    toks: list[_Tok]
    actors: list[_Actor]
    trigger: Mention
    ti: int  # index of the trigger's first token
    tj: int  # index after the trigger's last token
    classes: set[str]
    protest_nearby: bool = False  # an earlier sentence of the same paragraph tells of a protest
    passive: bool = False
    agents: list[_Actor] = field(default_factory=list)
    targets: list[_Actor] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Lower-cased clause text with single spaces between tokens (speed: joined only when read)."""
        return _joined(self.toks)


# ------------------------------------------------------------------------------------------ registries
@functools.cache
def _lex() -> dict[str, Any]:
    return load_yaml("triggers.yaml")


@functools.cache
def _mod() -> dict[str, Any]:
    return load_yaml("modality.yaml")


@functools.cache
def _words(key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in _lex().get(key) or [])


@functools.cache
def _phrases(*words: str) -> tuple[str, ...]:
    """A fixed phrase list as one lasting object (speed: the phrase tables of _cue_hits are kept per object)."""
    return words


@functools.cache
def _words_plus(key: str, *extra: str) -> frozenset[str]:
    """_words(key) with some words more, as one lasting object (see _phrases)."""
    return _words(key) | set(extra)


@functools.cache
def _actor_words() -> dict[str, int]:
    out: dict[str, int] = {}
    for inter, words in (_lex().get("actor_words") or {}).items():
        for w in words:
            out.setdefault(" ".join(_split(str(w))), int(inter))
    return out


@functools.cache
def _actor_longest() -> int:
    return max((len(w.split()) for w in _actor_words()), default=1)


@functools.cache
def _actor_lengths_by_first() -> dict[str, tuple[int, ...]]:
    """Speed: the word counts of the actor phrases starting with each first word, longest first (a phrase of
    another length cannot be one)."""
    out: dict[str, set[int]] = {}
    for w in _actor_words():
        words = w.split(" ")
        out.setdefault(words[0], set()).add(len(words))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


@functools.cache
def _mob_phrases() -> frozenset[str]:
    return frozenset(" ".join(_split(w)) for w in _words("mob_agents"))


def object_participles() -> frozenset[str]:
    """Participles that hang a "by" phrase on the object ("a drone operated by X"; triggers.yaml)."""
    return _words("object_participles")


@functools.cache
def _actor_firsts() -> frozenset[str]:
    """Speed: first words of the actor words (a phrase can only start at one of them)."""
    return frozenset(w.split(" ")[0] for w in _actor_words())


# ------------------------------------------------------------------------------------------ mentions
_NONE: tuple = ()


def in_sentence(doc: AnalyzedDoc, index: int, kind: str | None = None) -> list[Mention] | tuple:
    """``doc.in_sentence(index, kind)`` as a list shared by every caller, who reads it only (speed: the event
    coding asks for a sentence's mentions of a kind many times; each answer is made once from the document's
    grouping of its mentions by sentence, and made anew when the mention list is replaced or grows/shrinks)."""
    mentions = doc.mentions
    cached = doc.__dict__.get("_extract_by_sentence")
    if cached is None or cached[0] is not mentions or cached[1] != len(mentions):
        by_sent, by_kind, _ = doc._mention_index()
        cached = doc.__dict__["_extract_by_sentence"] = (mentions, len(mentions), {}, by_kind, by_sent)
    got = cached[2].get((index, kind))
    if got is None:
        got = cached[4].get(index, _NONE)
        if kind is not None:
            got = [m for m in got if m.kind == kind] or _NONE
        cached[2][(index, kind)] = got
    return got


def of_kind(doc: AnalyzedDoc, kind: str) -> list[Mention] | tuple:
    """``doc.of_kind(kind)`` as a list shared by every caller, who reads it only (see in_sentence)."""
    in_sentence(doc, 0)  # the index is made (or made anew) there
    return doc.__dict__["_extract_by_sentence"][3].get(kind, _NONE)


# ------------------------------------------------------------------------------------------ tokens
class _Toks(list):
    """A sentence's tokens with a word -> positions index built on first use (speed: _find_seq)."""

    pos: dict[str, list[int]] | None = None
    hits: dict[int, tuple[Any, list[tuple[Any, int, list[int] | None]]]] | None = None  # see _cue_hits
    joined: str | None = None  # see _joined
    ends: list[int] | None = None  # see _tok_index
    starts: list[int] | None = None  # see _passive_between
    words: frozenset[str] | None = None  # the words of pos, as a set (see _cue_hits)


_MONTH_WORDS = frozenset({"march", "may"})  # months that are also English words a cue list may hold


def _date_spans(doc: AnalyzedDoc) -> list[tuple[int, int]]:
    spans = doc.__dict__.get("_date_spans")
    if spans is None:
        spans = [(m.start, m.end) for m in doc.mentions if m.kind == "date"]
        doc.__dict__["_date_spans"] = spans
    return spans


def _tokens(doc: AnalyzedDoc, start: int, end: int) -> list[_Tok]:
    """A sentence's tokens, made once per document and range (speed: several steps ask again)."""
    cache = doc.__dict__.get("_typing_tokens")
    if cache is None:
        cache = doc.__dict__["_typing_tokens"] = {}
    toks = cache.get((start, end))
    if toks is None:
        toks = cache[(start, end)] = _make_tokens(doc, start, end)
    return toks


def _rows(doc: AnalyzedDoc, start: int, end: int) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and lower-cased texts of the non-space tokens lying wholly inside [start, end): what
    ``doc.token_rows(start, end)`` gives, as columns (speed: cut from the token table by C-level passes, not a
    Python step per token; lower_ of a token is str.lower of its text)."""
    table = doc.token_table()
    # token starts and ends rise, so the tokens inside the range are a run of them
    lo, hi = bisect.bisect_left(table.starts, start), bisect.bisect_right(table.ends, end)
    space = table.space[lo:hi]
    if not any(space):
        return table.starts[lo:hi], table.ends[lo:hi], list(map(str.lower, table.texts[lo:hi]))
    keep = list(map(operator.not_, space))
    return (list(itertools.compress(table.starts[lo:hi], keep)), list(itertools.compress(table.ends[lo:hi], keep)),
            list(map(str.lower, itertools.compress(table.texts[lo:hi], keep))))


def _make_tokens(doc: AnalyzedDoc, start: int, end: int) -> list[_Tok]:
    if doc.tokens is not None:
        starts, ends, lows = _rows(doc, start, end)
        toks = _Toks(map(tuple.__new__, itertools.repeat(_Tok), zip(starts, ends, lows)))  # (no Python per token)
        pos: dict[str, list[int]] = {}  # the index of _positions
        for i, low in enumerate(lows):
            at = pos.get(low)
            if at is None:
                pos[low] = [i]
            else:
                at.append(i)
        if not _MONTH_WORDS.isdisjoint(pos):
            # "On 10 March 2020": the month of a date is not a protest march
            dates = _date_spans(doc)
            marked = sorted(i for w in _MONTH_WORDS.intersection(pos) for i in pos[w]
                            if any(ds <= toks[i].start and toks[i].end <= de for ds, de in dates))
            for i in marked:
                s, e, low = toks[i]
                toks[i] = _Tok(s, e, "<month>")
                lows[i] = "<month>"
                pos[low].remove(i)
                if not pos[low]:
                    del pos[low]
            if marked:
                pos["<month>"] = sorted(pos.get("<month>", []) + marked)
        toks.pos = pos
        toks.__dict__["lows"] = lows
        toks.starts, toks.ends = starts, ends  # (see _span_toks, _tok_index: the tokens' offsets, made already)
        return toks
    text = doc.article.text
    return _Toks(_Tok(m.start() + start, m.end() + start, m.group().lower())
                 for m in _TOKEN.finditer(text[start:end]))


@functools.lru_cache(maxsize=8192)
def _split(phrase: str) -> tuple[str, ...]:
    """A cue phrase as tokens, split like spaCy splits news text ("off-duty" -> off - duty)."""
    return tuple(_TOKEN.findall(phrase.lower()))


def _find_seq(toks: list[_Tok], phrase: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Token indexes where the lower-cased word sequence ``phrase`` starts, within [lo, hi)."""
    words = _split(phrase)
    hi = len(toks) if hi is None else hi
    n = len(words)
    if n and isinstance(toks, _Toks):  # same result, via the index of first words
        first, last = max(lo, 0), min(hi, len(toks)) - n
        starts = _positions(toks).get(words[0], ())
        if n == 1:
            return [i for i in starts if first <= i <= last]
        w1 = words[1]  # speed: the second word rules out most starts before the general check
        return [i for i in starts if first <= i <= last and toks[i + 1].low == w1
                and (n == 2 or all(toks[i + k].low == words[k] for k in range(2, n)))]
    return [i for i in range(max(lo, 0), hi - n + 1) if all(toks[i + k].low == words[k] for k in range(n))]


def _positions(toks: _Toks) -> dict[str, list[int]]:
    if toks.pos is None:
        toks.pos = {}
        for i, t in enumerate(toks):
            toks.pos.setdefault(t.low, []).append(i)
    return toks.pos


def _absent(toks: list[_Tok], phrase: str) -> bool:
    """Speed: True when the phrase's first word is nowhere in ``toks`` (most phrases of a list are not)."""
    words = _split(phrase)
    return bool(words) and isinstance(toks, _Toks) and words[0] not in _positions(toks)


_FIRSTS: dict[int, tuple[Any, list[tuple[Any, str | None]]]] = {}


def _with_firsts(phrases) -> list[tuple[Any, str | None]]:
    """Speed: (phrase, its first word) of a phrase list, kept per list object (registry lists live as long
    as the process; the object is held so its id is never reused while cached)."""
    hit = _FIRSTS.get(id(phrases))
    if hit is None or hit[0] is not phrases:
        if len(_FIRSTS) > 2048:
            _FIRSTS.clear()
        hit = (phrases, [(p, (_split(str(p)) or (None,))[0]) for p in phrases])
        _FIRSTS[id(phrases)] = hit
    return hit[1]


_Entry = tuple[int, Any, tuple[str, ...]]  # (list position, phrase, its words)
_BY_FIRST: dict[int, tuple[Any, dict[str, list[_Entry]], list[_Entry], frozenset[str]]] = {}


def _by_first(phrases) -> tuple[dict[str, list[_Entry]], list[_Entry], frozenset[str]]:
    """Speed: a phrase list's (list position, phrase, words) by first word, those of no words, and the set
    of first words; kept per list object like _with_firsts."""
    hit = _BY_FIRST.get(id(phrases))
    if hit is None or hit[0] is not phrases:
        if len(_BY_FIRST) > 2048:
            _BY_FIRST.clear()
        index: dict[str, list[_Entry]] = {}
        empties: list[_Entry] = []
        for k, (p, first) in enumerate(_with_firsts(phrases)):
            if first is None:
                empties.append((k, p, ()))
            else:
                index.setdefault(first, []).append((k, p, _split(str(p))))
        hit = _BY_FIRST[id(phrases)] = (phrases, index, empties, frozenset(index))
    return hit[1], hit[2], hit[3]


_Key = str | tuple[str, str]  # a phrase's first word, or its first two words
_PAIR_FIRSTS: set[str] = set()  # the first words of the two-word keys of the lists indexed so far (see _keys_of)
_BY_KEY: dict[int, tuple[Any, dict[_Key, list[_Entry]], list[_Entry], frozenset[_Key]]] = {}


def _by_key(phrases) -> tuple[Any, dict[_Key, list[_Entry]], list[_Entry], frozenset[_Key]]:
    """Speed: (the list, its entries by key, those of no words, the set of keys) of a phrase list, the key of
    a one-word phrase being its word and that of a longer one its first two words; kept per list object like
    _with_firsts."""
    hit = _BY_KEY.get(id(phrases))
    if hit is None or hit[0] is not phrases:
        if len(_BY_KEY) > 2048:
            _BY_KEY.clear()
        index: dict[_Key, list[_Entry]] = {}
        by_first, empties, _ = _by_first(phrases)
        for entries in by_first.values():
            for e in entries:
                words = e[2]
                index.setdefault(words[0] if len(words) == 1 else (words[0], words[1]), []).append(e)
                if len(words) > 1:
                    _PAIR_FIRSTS.add(words[0])  # (see _keys_of)
        hit = _BY_KEY[id(phrases)] = (phrases, index, empties, frozenset(index))
    return hit


def _cue_hits(toks: _Toks, phrases) -> list[tuple[Any, int, list[int] | None]]:
    """Speed: (phrase, its word count, token indexes where it starts in the whole sentence) of the phrases of
    a list found in the sentence, in list order; computed once per sentence and list (None: a phrase of no
    words, left to _find_seq).  Filtering the indexes to a window gives what _find_seq gives for it."""
    hits = toks.hits
    if hits is None:
        hits = toks.hits = {}
    hit = hits.get(id(phrases))
    if hit is not None and hit[0] is phrases:
        return hit[1]
    entry = _BY_KEY.get(id(phrases))
    if entry is None or entry[0] is not phrases:
        entry = _by_key(phrases)
    _, by_key, empties, keys = entry
    # the list's phrases whose first word (two words) are in the sentence, in list order (a sentence has fewer
    # words than most lists have phrases; most sentences have none of a list's first words)
    common = keys.intersection(_keys_of(toks))
    if not common and not empties:
        found: list[tuple[Any, int, list[int] | None]] = []
    else:
        cands = sorted(empties + [e for w in common for e in by_key[w]]) if len(common) > 1 or empties \
            else by_key[next(iter(common))]
        found = _matched(toks, cands)
    hits[id(phrases)] = (phrases, found)
    return found


def _words_of(toks: _Toks) -> frozenset[str]:
    """The sentence's words as a set (made once per sentence)."""
    pos = toks.pos if toks.pos is not None else _positions(toks)
    words = toks.words
    if words is None or len(words) != len(pos):
        words = toks.words = frozenset(pos)
    return words


def _keys_of(toks: _Toks) -> frozenset[_Key]:
    """The sentence's words and pairs of adjacent words, as a set (see _by_key).  Speed: only the pairs whose
    first word starts a two-word key of a list indexed so far (no other pair is the key of a phrase); made once
    per sentence, and again when a list brings a new such word."""
    kept = toks.__dict__.get("keys")
    if kept is not None and kept[0] == len(_PAIR_FIRSTS):
        return kept[1]
    words = _words_of(toks)
    firsts = _PAIR_FIRSTS.intersection(words)
    if firsts:
        pos, lows = toks.pos if toks.pos is not None else _positions(toks), _lows(toks)
        last = len(lows) - 1
        keys = words.union([(w, lows[i + 1]) for w in firsts for i in pos[w] if i < last])
    else:
        keys = words
    toks.__dict__["keys"] = (len(_PAIR_FIRSTS), keys)
    return keys


def _lows(toks: _Toks) -> list[str]:
    """The sentence's lower-cased words (made with the tokens, see _make_tokens)."""
    lows = toks.__dict__.get("lows")
    if lows is None or len(lows) != len(toks):
        lows = toks.__dict__["lows"] = [t.low for t in toks]
    return lows


def _matched(toks: _Toks, cands: list[_Entry]) -> list[tuple[Any, int, list[int] | None]]:
    """(phrase, its word count, token indexes where it starts) of the candidate entries found in the sentence."""
    pos = toks.pos if toks.pos is not None else _positions(toks)
    found: list[tuple[Any, int, list[int] | None]] = []
    last_start = len(toks) - 1
    for _, p, words in cands:
        n = len(words)
        if not n:
            found.append((p, 0, None))
            continue
        # what _find_seq(toks, p) gives over the whole sentence, inlined (speed: called per phrase)
        starts = pos[words[0]]
        if n == 1:
            idx = starts[:]
        else:
            last, w1 = last_start + 1 - n, words[1]
            idx = [i for i in starts if i <= last and toks[i + 1].low == w1
                   and (n == 2 or all(toks[i + k].low == words[k] for k in range(2, n)))]
        if idx:
            found.append((p, n, idx))
    return found


_MULTI: dict[int, tuple[Any, frozenset[_Key], dict[_Key, list[tuple[int, _Entry]]], tuple[bool, ...]]] = {}


def _multi(lists: tuple) -> tuple[Any, frozenset[_Key], dict[_Key, list[tuple[int, _Entry]]], tuple[bool, ...]]:
    """(lists, the keys of all their phrases, their entries by key with the list's position, whether each
    list has a phrase of no words), made once per lasting tuple of lists (see _prefetch)."""
    multi = _MULTI.get(id(lists))
    if multi is None or multi[0] is not lists:
        index: dict[_Key, list[tuple[int, _Entry]]] = {}
        for j, phrases in enumerate(lists):
            for w, entries in _by_key(phrases)[1].items():
                index.setdefault(w, []).extend((j, e) for e in entries)
        multi = _MULTI[id(lists)] = (lists, frozenset(index), index,
                                     tuple(bool(_by_key(phrases)[2]) for phrases in lists))
    return multi


def _prefetch(toks: _Toks, lists: tuple) -> None:
    """Speed: _cue_hits of several phrase lists (a lasting tuple of them) at once, through one index of all
    their phrases by key (see _by_key): one look at the sentence's words instead of one per list."""
    hits = toks.hits
    if hits is None:
        hits = toks.hits = {}
    _, keys, index, has_empties = _multi(lists)
    cands: list[list[_Entry]] = [[] for _ in lists]
    for w in keys.intersection(_keys_of(toks)):
        for j, e in index[w]:
            cands[j].append(e)
    for j, phrases in enumerate(lists):
        hit = hits.get(id(phrases))
        if hit is not None and hit[0] is phrases:
            continue
        if has_empties[j]:
            _cue_hits(toks, phrases)
            continue
        found = cands[j]
        if found:
            found.sort()
            found = _matched(toks, found)
        hits[id(phrases)] = (phrases, found)


def _window(toks: list[_Tok], p: Any, n: int, idx: list[int] | None, lo: int, hi: int | None) -> list[int]:
    """The starts of ``idx`` (from _cue_hits) within [lo, hi): the same as _find_seq(toks, p, lo, hi)."""
    if idx is None:
        return _find_seq(toks, str(p), lo, hi)
    first, last = max(lo, 0), min(len(toks) if hi is None else hi, len(toks)) - n
    return [i for i in idx if first <= i <= last]


def _has_any(toks: list[_Tok], phrases, lo: int = 0, hi: int | None = None) -> str | None:
    if isinstance(toks, _Toks) and isinstance(phrases, (list, tuple, frozenset, set)):
        for p, n, idx in _cue_hits(toks, phrases):
            if _window(toks, p, n, idx, lo, hi):
                return p
        return None
    for p in phrases:
        if _absent(toks, p):
            continue
        if _find_seq(toks, p, lo, hi):
            return p
    return None


def _joined(toks: list[_Tok]) -> str:
    """The sentence's lower-cased words joined by spaces (made once per sentence)."""
    if isinstance(toks, _Toks):
        if toks.joined is None:
            toks.joined = " ".join(t.low for t in toks)
        return toks.joined
    return " ".join(t.low for t in toks)


def _tok_index(toks: list[_Tok], char: int) -> int:
    if isinstance(toks, _Toks):  # speed: token ends rise through a sentence, a binary search finds the first
        if toks.ends is None:
            toks.ends = [t.end for t in toks]
        return bisect.bisect_right(toks.ends, char)
    for i, t in enumerate(toks):
        if t.end > char:
            return i
    return len(toks)


# ------------------------------------------------------------------------------------------ actors
def _actors(doc: AnalyzedDoc, sentence: Sentence, toks: list[_Tok]) -> list[_Actor]:
    found: list[_Actor] = []
    for m in in_sentence(doc, sentence.index, "actor"):
        inter = int(m.attrs.get("inter", 0) or 0)
        found.append(_Actor(m.start, m.end, m.text, inter))
    covered = [(a.start, a.end) for a in found]
    words = _actor_words()
    mob = _mob_phrases()
    lengths = _actor_lengths_by_first()
    firsts = _actor_firsts()
    # speed: a phrase can only start at a token that is a first word of one; walk those left to right, a
    # found phrase using up its tokens (the same greedy scan as token by token)
    if isinstance(toks, _Toks):
        pos = _positions(toks)
        starts = sorted(i for w in firsts.intersection(_words_of(toks)) for i in pos[w])
    else:
        starts = [i for i, t in enumerate(toks) if t.low in firsts]
    lows = (_lows(toks) if isinstance(toks, _Toks) else [t.low for t in toks]) if starts else []
    free = 0
    for i in starts:
        if i < free:
            continue
        hit = None
        left = len(toks) - i
        for n in lengths.get(lows[i], ()):
            if n > left:
                continue
            phrase = " ".join(lows[i:i + n])
            if phrase in words:
                hit = (n, phrase)
                break
        if hit:
            n, phrase = hit
            s, e = toks[i].start, toks[i + n - 1].end
            if not any(cs < e and s < ce for cs, ce in covered):
                found.append(_Actor(s, e, phrase, words[phrase], phrase in mob))
            free = i + n
    crowd_heads = _words("crowd_heads")
    for a in found:
        head = _split(a.text)[-1:] if a.text else ()
        a.mob = a.mob or a.text.lower() in mob or head == ("mob",)
        if head and head[0] in crowd_heads and a.inter in ARMED and not _has_any(
                _toks_of(a.text), _words("armed_modifiers")):
            # "BJP supporters", "party members": followers of a group, not its armed wing (they riot when
            # they fight each other; when they beat someone, ACLED still codes the group's attack)
            a.crowd = True
    found.sort(key=_START)
    return found


_AGENT_TO = {"attributed", "blamed", "fell", "fall", "falls", "fallen", "claimed", "linked", "belonging"}


def _toks_of(text: str) -> list[_Tok]:
    return [_Tok(0, 0, w) for w in _split(text)]


def _agent_intro(toks: list[_Tok], i: int) -> bool:
    """Token i introduces the doer: "by", "attributed to", "fell to", "blamed on"."""
    if toks[i].low == "by":
        return True
    return toks[i].low in {"to", "on"} and i > 0 and toks[i - 1].low in _AGENT_TO


def _roles(ctx: _Ctx) -> None:
    toks, ti, tj = ctx.toks, ctx.ti, ctx.tj
    j = ti - 1
    # skip adverbs and coordinated participles: "were killed, injured or captured"
    # (and any "-ly" adverb: "were lightly wounded", "were badly burned")
    while j >= 0 and (toks[j].low in _ADVERBS or toks[j].low in {"or", ","}
                      or (toks[j].low.endswith("ly") and len(toks[j].low) > 4 and toks[j].low.isalpha())
                      or (toks[j].low.endswith("ed") and j > 0 and toks[j - 1].low not in _ARTICLES)):
        j -= 1
    text = ctx.doc.article.text
    def aux(k: int) -> bool:  # "IS" (the group) is no auxiliary
        return toks[k].low in _PASSIVE_AUX and not text[toks[k].start:toks[k].end].isupper()
    ctx.passive = (j >= 0 and aux(j)) or aux(ti) or _coordinated_passive(toks, ti, aux)
    trig_s, trig_e = ctx.trigger.start, ctx.trigger.end
    before = [a for a in ctx.actors if a.end <= trig_s]
    after = [a for a in ctx.actors if a.start >= trig_e]
    by_i = None
    for i in range(tj, min(tj + 8, len(toks))):  # _agent_intro, inlined (speed)
        low = toks[i].low
        if low == "by" and i > tj and not ctx.passive and toks[i - 1].low in object_participles():
            break  # "shot down a drone operated by the GNA": "by" tells who ran the object, not the doer
        if low == "by" or (low in ("to", "on") and i > 0 and toks[i - 1].low in _AGENT_TO):
            by_i = i
            break
    by_actors = [a for a in after if by_i is not None and a.start >= toks[by_i].start][:1]
    inside = [a for a in ctx.actors if trig_s <= a.start and a.end <= trig_e]
    if inside:  # "the body of a man was found": the victim is inside the trigger phrase
        ctx.agents, ctx.targets = by_actors, inside[:1]
        if inside[0].inter in ARMED:  # "the kidnappers demanded...": an agent noun names the doer
            ctx.agents, ctx.targets = inside[:1], [a for a in after if a.start - trig_e < 120][:1]
            return
        if inside[0].text.lower().split()[-1] in _BODY_WORDS:
            # "the bodies of 60 pro-government fighters": whose bodies is told right after
            owner = [a for a in after if a.start - trig_e < 50 and a not in by_actors][:1]
            ctx.targets = owner or ctx.targets
        return
    if ctx.passive or by_actors:
        ctx.agents = by_actors
        ctx.targets = before[-1:] if ctx.passive else after[:1]
        if not ctx.passive:
            ctx.targets = [a for a in after if a not in by_actors][:1]
    else:
        ctx.agents = before[-1:]
        if before and _passive_between(ctx, before[-1].end, trig_s):
            # "nine people were killed ... in the raids": the subject of a passive verb is its victim
            ctx.agents = []
        elif len(before) >= 2:
            gap = _span_toks(toks, before[-1].end, trig_s) if isinstance(toks, _Toks) else \
                _tokens(ctx.doc, before[-1].end, trig_s)
            if gap and all(t.low in {"and", ",", "then", "also", "later", "others", "another", "more"} or
                           t.low.isdigit() for t in gap):
                # "militants attacked the village, killed two people and wounded others": the nearest
                # actor is the object of the previous verb; the subject came first
                ctx.agents = before[:1]
        ctx.targets = next(([a] for a in after if a.start - trig_e < 120 and not _custody_modifier(ctx, a)), [])


def _span_toks(toks: _Toks, start: int, end: int) -> list[_Tok]:
    """The sentence's tokens lying wholly inside [start, end) (speed: a run of them, as starts and ends rise;
    for a range inside the sentence, what _tokens gives for it)."""
    if toks.starts is None:
        toks.starts = [t.start for t in toks]
    if toks.ends is None:
        toks.ends = [t.end for t in toks]
    return toks[bisect.bisect_left(toks.starts, start):bisect.bisect_right(toks.ends, end)]


def _passive_between(ctx: _Ctx, start: int, end: int) -> bool:
    """A passive verb ("were killed") stands between an actor and the trigger."""
    toks = ctx.toks
    if isinstance(toks, _Toks):
        gap = _span_toks(toks, start, end)
    else:
        gap = [t for t in toks if start <= t.start and t.end <= end]
    return any(a.low in _PASSIVE_AUX and b.low.endswith(("ed", "en")) for a, b in zip(gap, gap[1:]))


def _coordinated_passive(toks: list[_Tok], ti: int, aux: Callable[[int], bool]) -> bool:
    """"nine people were killed and more than 20 wounded": a participle coordinated with a passive one
    shares its auxiliary (the number between them is the second subject, not an agent)."""
    if not toks[ti].low.endswith(("ed", "en")):
        return False
    for k in range(ti - 1, max(0, ti - 7), -1):
        if toks[k].low in {"and", ","} and k >= 2 and toks[k - 1].low.endswith(("ed", "en")) and aux(k - 2):
            return True
        if toks[k].low in {"and", ","} and k >= 3 and toks[k - 1].low in _PARTICLES and \
                toks[k - 2].low.endswith(("ed", "en")) and aux(k - 3):
            return True  # "were tied up, beaten and ..."
        if toks[k].low in _CLAUSE_BREAK or toks[k].low in _SUBORDINATE_OPENERS or toks[k].low == ".":
            return False  # ("... were killed and 20 injured when assailants opened fire": a clause of its own)
    return False


_PARTICLES = frozenset({"up", "down", "off", "out", "away"})
_SUBORDINATE_OPENERS = frozenset({"when", "after", "before", "because", "until", "where", "who", "which"})


# ------------------------------------------------------------------------------------------ conditions
# (a protest "planned", "upcoming" or "called for" has not happened yet: "arrested ahead of a planned rally")
_NOT_SAME_TIME = {"after", "following", "before", "since", "ahead", "planned", "upcoming", "proposed", "scheduled",
                  "intended"}


def _protest_context(ctx: _Ctx) -> bool:
    """A protest is part of this sentence's scene (not one told as before/after it)."""
    if ctx.protest_nearby or any(a.inter == 6 for a in ctx.actors):
        return True
    toks = ctx.toks
    if isinstance(toks, _Toks):  # speed: the same scan, once per sentence, over the protest words' positions
        got = toks.__dict__.get("protest_scene")
        if got is None:
            pos = toks.pos if toks.pos is not None else _positions(toks)
            at = sorted(i for w in _words("protest_words").intersection(_words_of(toks)) for i in pos[w])
            got = toks.__dict__["protest_scene"] = any(
                not any(x.low in _NOT_SAME_TIME for x in toks[max(0, i - 3):i]) and not _shows(toks, i) for i in at)
        return got
    words = _words("protest_words")
    for i, t in enumerate(toks):
        if t.low in words and not any(x.low in _NOT_SAME_TIME for x in toks[max(0, i - 3):i]) \
                and not _shows(toks, i):
            return True
    return False


_DEMONSTRATE = frozenset({"demonstrate", "demonstrates", "demonstrated", "demonstrating"})
_SHOWN = frozenset({"the", "that", "how", "its", "their", "his", "her", "our", "a", "an", "what", "this", "these"})


def _shows(toks: list[_Tok], i: int) -> bool:
    """"demonstrate" meaning "show": "the attacks demonstrate the regime's cruelty" (a protester demonstrates
    against, in or outside something)."""
    if toks[i].low not in _DEMONSTRATE or i + 1 >= len(toks) or toks[i + 1].low not in _SHOWN:
        return False
    # ("demonstrated the previous day", "the whole night": a time, not what was shown)
    return not (i + 2 < len(toks) and toks[i + 2].low in _TIME_AFTER_THE)


_TIME_AFTER_THE = frozenset({"previous", "next", "same", "following", "day", "week", "night", "morning", "evening",
                             "afternoon", "whole", "entire", "other"})


def _own_protest(ctx: _Ctx) -> bool:
    return any(a.inter == 6 for a in ctx.actors) or bool(_has_any(ctx.toks, _words("protest_words")))


def _lethal(ctx: _Ctx) -> bool:
    """A death told in the sentence, not one inside a relative clause describing someone ("the families of
    people killed by attacks protested", "a businessman who was killed")."""
    toks = ctx.toks
    hits = _cue_hits(toks, _words("lethal_words")) if isinstance(toks, _Toks) else \
        [(w, 0, None) for w in _words("lethal_words")]
    for w, n, idx in hits:
        for i in _window(toks, w, n, idx, 0, None):
            before = [t.low for t in ctx.toks[max(0, i - 3):i]]
            nxt = ctx.toks[i + 1].low if i + 1 < len(ctx.toks) else ""
            if any(b in _RELATIVE for b in before) or (nxt == "by" and before and before[-1] in _PEOPLE_PLURAL):
                continue
            return True
    return False


_PEOPLE_PLURAL = {"people", "those", "victims", "persons", "civilians", "men", "women", "children", "relatives"}


def _armed_objects_after(ctx: _Ctx) -> bool:
    return _armed_object_in(ctx.toks, ctx.tj, min(len(ctx.toks), ctx.tj + 10))


def _armed_object_in(toks: list[_Tok], lo: int, hi: int) -> bool:
    """An armed object (a base, a checkpoint, a camp ...) among toks[lo:hi]; a camp of refugees or displaced
    people ("a camp for displaced people", "an IDP camp") is no armed object."""
    hit = _has_any(toks, _words("armed_objects"), lo, hi)
    if hit not in ("camp", "camps"):
        return hit is not None
    civil = _words("civilian_camp_words")
    for k in range(lo, hi):
        if toks[k].low in ("camp", "camps") and not (
                (k + 1 < len(toks) and toks[k + 1].low in civil) or (k > 0 and toks[k - 1].low in civil)):
            return True
    return _has_any(toks, _armed_objects_but_camps(), lo, hi) is not None


@functools.cache
def _armed_objects_but_camps() -> frozenset[str]:
    """(one lasting object: the phrase tables of _cue_hits are kept per object)"""
    return _words("armed_objects") - {"camp", "camps"}


def _target_armed(ctx: _Ctx) -> bool:
    lo = max(0, ctx.ti - 8)
    if _has_any(ctx.toks, _words("off_duty"), lo, min(len(ctx.toks), ctx.tj + 14)):
        return False
    if _armed_victim(ctx):
        return True
    if ctx.targets and _owner_of_site(ctx, ctx.targets[0]):
        return False  # "stormed a government health centre": the place attacked is a civilian one
    if ctx.targets:
        if not ctx.passive and ctx.targets[0].inter not in ARMED:
            # "attacked a rebel base in X village": the armed object comes before the civilian-looking word
            upto = min(_tok_index(ctx.toks, ctx.targets[0].start), ctx.tj + 10)
            if _armed_object_in(ctx.toks, ctx.tj, upto):
                return True
        return ctx.targets[0].inter in ARMED
    return (not ctx.passive) and _armed_objects_after(ctx)


def _owner_of_site(ctx: _Ctx, actor: _Actor) -> bool:
    """The actor word only names who runs a civilian site right after it ("a government health centre",
    "a police-run school"): the site starts within two tokens of the actor's end."""
    j = _tok_index(ctx.toks, actor.end - 1) + 1
    if isinstance(ctx.toks, _Toks):
        for site, n, idx in _cue_hits(ctx.toks, _words("civilian_sites")):
            starts = _window(ctx.toks, site, n, idx, j, min(len(ctx.toks), j + 5))
            if starts and starts[0] <= j + 2:
                return True
        return False
    for site in _words("civilian_sites"):
        if not _absent(ctx.toks, site) and _find_seq(ctx.toks, site, j, min(len(ctx.toks), j + 5))[:1] and \
                _find_seq(ctx.toks, site, j, min(len(ctx.toks), j + 5))[0] <= j + 2:
            return True
    return False


def _armed_victim(ctx: _Ctx) -> bool:
    """The victim is told as belonging to an armed or criminal group ("the victim was a gang member",
    "a member of the X militia was found dead"), in this sentence or the next two of the paragraph."""
    cues = _words("armed_victim_cues")
    # (in the active voice the victim follows the verb: "armed gang members shot dead nine residents" names
    # the killers, not the victims, as gang members)
    if ctx.passive and ctx.agents and ctx.agents[0].start >= ctx.trigger.end:
        # ("a woman being assaulted by drug traffickers": the cue tells the doers, told after "by")
        after_agent = _tok_index(ctx.toks, ctx.agents[0].end - 1) + 1
        if _has_any(ctx.toks, cues, 0, ctx.ti) or _has_any(ctx.toks, cues, after_agent):
            return True
    elif _has_any(ctx.toks, cues, 0 if ctx.passive else ctx.tj):
        return True
    for a in ctx.actors:
        if a in ctx.agents or a.inter not in ARMED:
            continue
        i = _tok_index(ctx.toks, a.start)
        before = [t.low for t in ctx.toks[max(0, i - 3):i]]
        if before[-1:] == ["the"]:
            before = before[:-1]
        if before[-2:] in (["member", "of"], ["members", "of"]):
            return True
    return _told_after(ctx.doc, ctx.trigger.sentence, cues)


def _told_after(doc: AnalyzedDoc, here: int, cues) -> bool:
    """Is a cue of the list in one of the next two sentences of sentence ``here``'s paragraph?  (Once per
    sentence and list: every trigger of the sentence asks.)"""
    memo = doc.__dict__.setdefault("_typing_told_after", {})
    got = memo.get((here, id(cues)))
    if got is None or got[0] is not cues:
        got = memo[(here, id(cues))] = (cues, any(
            s.paragraph == doc.sentences[here].paragraph and _may_hold(doc, s, cues)
            and _has_any(_tokens(doc, s.start, s.end), cues) for s in doc.sentences[here + 1:here + 3]))
    return got[1]


def _may_hold(doc: AnalyzedDoc, s: Sentence, phrases) -> bool:
    """Speed: can a phrase of the list be in sentence ``s``?  False when no word of its tokens (a month word
    may be read "<month>", see _make_tokens) is the first word of one: its tokens need not be made."""
    if doc.tokens is None or (s.start, s.end) in doc.__dict__.get("_typing_tokens", ()):
        return True  # the tokens are there (or made the plain way): look them up
    _, empties, firsts = _by_first(phrases)
    if empties:
        return True
    cache = doc.__dict__.setdefault("_typing_words", {})
    words = cache.get((s.start, s.end))
    if words is None:
        words = cache[(s.start, s.end)] = frozenset(_rows(doc, s.start, s.end)[2]) | {"<month>"}
    return not firsts.isdisjoint(words)


def _target_armed_only(ctx: _Ctx) -> bool:
    return bool(ctx.targets) and all(a.inter in ARMED for a in ctx.targets)


def _mob_agent(ctx: _Ctx) -> bool:
    if any(a.inter in ARMED for a in ctx.agents):
        return False
    before = [a for a in ctx.actors if a.end <= ctx.trigger.start]
    if before and before[0].inter in ARMED and before[0].inter != 1 and not before[0].mob and not ctx.passive:
        return False  # "Gunmen killed nine villagers in an attack on ...": the subject did it
    if any(a.mob or a.inter == 5 for a in ctx.agents):
        return True
    people = [a for a in ctx.agents if a.text.lower().split()[-1] not in _OBJECT_WORDS]
    if people and all(a.inter == 7 for a in people) and _target_armed(ctx) and not any(
            _custody_modifier(ctx, a) for a in ctx.targets):
        return True  # "a group of citizens attacked a police officer": unorganized people, not a battle
    victims = _has_any(ctx.toks, _words("mob_victims"))
    return bool(victims) and not any(a.inter in ARMED - {1} for a in ctx.actors)


def _rioter_agent(ctx: _Ctx) -> bool:
    return any(a.inter in (5, 6) and not a.mob for a in ctx.agents)


def _unruly(a: _Actor) -> bool:
    return a.mob or a.crowd or a.inter == 5


def _mob_context(ctx: _Ctx) -> bool:
    """Fighting with an unorganized crowd on one side (a mob clashing with police, villagers fighting each
    other) is rioting, not a battle: a battle needs two organized armed sides."""
    agents = [a for a in ctx.agents if a.text.lower().split()[-1] not in _OBJECT_WORDS]
    if ctx.agents and not agents and not ctx.passive:
        # "traders rejected the market levy and clashed with police": the nearest noun was an object of the
        # first verb; the subject is the first actor of the clause
        agents = [a for a in ctx.actors if a.end <= ctx.trigger.start
                  and a.text.lower().split()[-1] not in _OBJECT_WORDS][:1]
    # the other side of the fighting: "clashed with the mob", "fought villagers"; not the victims of a second
    # verb ("gunmen ambushed and killed three youths": the youths were attacked, they did not riot)
    near = [a for a in ctx.targets if _tok_index(ctx.toks, a.start) <= ctx.tj + 4 and _fought_with(ctx, a)]
    sides = agents + near
    if _has_any(ctx.toks, _phrases("between"), ctx.tj, min(len(ctx.toks), ctx.tj + 2)):
        sides = [a for a in ctx.actors if a.start >= ctx.trigger.end][:2]
        agents = []
    if _armed_people(ctx):
        return False  # "clashes between two armed families": armed sides make a battle, not a brawl
    if any(_unruly(a) for a in sides):
        return True
    if agents and all(a.inter in (6, 7) for a in agents) and not _armed_subject(ctx):
        return True
    if any(a.inter in ARMED for a in ctx.actors):
        return False
    return "mob" in ctx.classes or any(_unruly(a) for a in ctx.actors)


# Fighting words that also tell one-sided violence: an ambush or gunfire by one armed side on people.
_ONE_SIDED_WORDS = {"ambush", "ambushed", "ambushes", "small arms", "small arms fire", "gunfire", "machine gun fire",
                    "bursts of fire", "heavy machine guns", "small-arms fire", "incursion", "incursions"}


def _one_sided_fire(ctx: _Ctx) -> bool:
    """"Gunmen ambushed and killed three villagers", "shot a civilian with small arms fire": one armed side and
    civilian victims of a kill verb in the same clause; the kill verb then codes the event (an attack)."""
    if ctx.trigger.text.lower() not in _ONE_SIDED_WORDS or not ({"kill", "attack"} & ctx.classes):
        return False
    armed = {a.text.lower() for a in ctx.actors if a.inter in ARMED and not a.mob and not a.crowd}
    victims = [a for a in ctx.actors if a.inter == 7 and a.text.lower().split()[-1] not in _OBJECT_WORDS]
    if len(armed) != 1 or not victims or ctx.passive:
        return False
    return not _has_any(ctx.toks, _phrases("between", "exchanged", "clashes", "clashed", "fighting", "fought"))


def _fought_with(ctx: _Ctx, a: _Actor) -> bool:
    """Is target ``a`` the other side of the trigger's fighting, rather than the object of a later verb?"""
    if a.inter == 5:
        return True  # rioters, a mob: never a mere victim of the fighting word
    k = _tok_index(ctx.toks, a.start)
    between = ctx.toks[ctx.tj:k]
    return not any(t.low in _LATER_VERB_WORDS or t.low.endswith("ed") and t.low not in ("armed",) for t in between)


# Words between a fighting word and its object that show the object belongs to another verb.
_LATER_VERB_WORDS = {"and", "killing", "kill", "wounding", "injuring", "leaving", "abducting"}


# Heads of agents who speak for an institution: their "demands" are statements, not street protest.
_OFFICIAL_HEADS = {"official", "officials", "minister", "ministers", "ministry", "government", "president",
                   "spokesman", "spokeswoman", "spokesperson", "authorities", "leader", "leaders", "parliament",
                   "lawmakers", "legislators", "senator", "senators", "diplomats", "diplomat", "embassy", "governor",
                   "mayor", "prime", "premier", "cabinet", "administration", "council", "secretary"}


# Words after an arrest that put it after the protest had ended.
_AFTER_PROTEST = ("after the protest", "after the rally", "after the demonstration", "after the march",
                  "after the sit-in", "right after", "later that day", "later that same day", "later the same day",
                  "once the protest", "after it ended", "after it was over", "after they dispersed",
                  "as they were leaving", "on their way home")
_SAID_GAP = {"on", "today", "yesterday", "here", "again", "publicly", "strongly", "monday", "tuesday", "wednesday",
             "thursday", "friday", "saturday", "sunday"}


def _statement_that(ctx: _Ctx) -> bool:
    """"A rights group protested on Wednesday that the authorities ...": the verb reports a statement.  So
    does a closing reporting clause after a comma ("The authorities fail refugees, a rights group protested
    here Wednesday."): what was protested is the clause before, said, not a gathering."""
    if ctx.toks[ctx.ti].low not in {"protested", "complained", "denounced", "demanded", "demands", "demand"}:
        return False
    rest = ctx.toks[ctx.tj:]
    for t in rest[:4]:
        if t.low == "that":
            return True
        if t.low not in _SAID_GAP:
            break
    if all(t.low in _SAID_GAP or not t.low[:1].isalnum() for t in rest):
        # the subject between a comma and the verb: a few words, none of them a clause of its own
        lead = [t.low for t in ctx.toks[max(0, ctx.ti - 7):ctx.ti]]
        if "," not in lead:
            return False
        subject = lead[len(lead) - lead[::-1].index(","):]  # the words after the last comma
        return not any(w in {"and", "but", "who", "which"} for w in subject)
    return False


def _armed_modified(ctx: _Ctx, a: _Actor) -> bool:
    """"two armed families", "armed villagers": people the text itself calls armed."""
    k = _tok_index(ctx.toks, a.start)
    return any(t.low == "armed" for t in ctx.toks[max(0, k - 2):k + 1])


_ARMED_PEOPLE = tuple(f"armed {w}" for w in ("families", "clans", "tribes", "tribesmen", "villagers", "residents",
                                              "youths", "men", "members", "relatives", "groups", "sides"))


def _armed_people(ctx: _Ctx) -> bool:
    """The text calls the sides armed, whether or not the actor table knows the noun ("two armed clans")."""
    return any(_armed_modified(ctx, a) for a in ctx.actors) or bool(_has_any(ctx.toks, _ARMED_PEOPLE))


# Nouns an actor word modifies when it names whose prison or ground it is, not a party to the violence.
_CUSTODY_NOUNS = {"prison", "prisons", "jail", "jails", "detention", "custody", "cell", "cells", "camp", "camps",
                  "held", "controlled", "territory", "areas", "area", "checkpoint"}


def _custody_modifier(ctx: _Ctx, a: _Actor) -> bool:
    """"died under torture in a regime prison": "regime" names the prison's keeper, not a target."""
    k = _tok_index(ctx.toks, a.end - 1) + 1
    return k < len(ctx.toks) and ctx.toks[k].low.lstrip("-") in _CUSTODY_NOUNS


# Agents that are one person: "a man threw stones" is an attack by one person, not a riot.
_LONE_HEADS = {"man", "woman", "person", "youth", "boy", "girl", "individual", "suspect", "resident", "villager",
               "driver", "neighbour", "neighbor", "relative"}


def _riot_not_crowd(ctx: _Ctx) -> bool:
    """The riot words (stones, petrol bombs) used by an armed group or by one person: no crowd rioted."""
    agents = ctx.agents or [a for a in ctx.actors if a.inter in ARMED and _introduced_by(ctx, a)]
    if not agents or _protest_context(ctx):
        return False
    for a in agents:
        words = a.text.lower().split()
        if a.inter in ARMED - {1} and not a.mob and not a.crowd and "rioters" not in words:
            continue
        if len(words) == 2 and words[0] in ("a", "an", "one") and words[1] in _LONE_HEADS:
            continue
        return False
    return True


def _introduced_by(ctx: _Ctx, a: _Actor) -> bool:
    """"... was thrown into the house by unknown people": the actor right after "by" is the doer."""
    k = _tok_index(ctx.toks, a.start)
    return k > 0 and ctx.toks[k - 1].low == "by"


def _riot_not_crowd_on_people(ctx: _Ctx) -> bool:
    return _riot_not_crowd(ctx) and any(
        a.inter == 7 and a.text.lower().split()[-1] not in _OBJECT_WORDS for a in ctx.actors if a not in ctx.agents)


def _armed_subject(ctx: _Ctx) -> bool:
    """An armed group named before the trigger as the sentence's doer ("SDF members shot and killed a civilian
    with small arms fire"): the people after it are victims, not a crowd fighting."""
    first = next((a for a in ctx.actors if a.end <= ctx.trigger.start), None)
    return first is not None and first.inter in ARMED and not first.mob and not first.crowd


def _violent_protesters(ctx: _Ctx) -> bool:
    """Demonstrators themselves turned violent (then deaths make a violent demonstration, not excessive force)."""
    if "riot" in ctx.classes or _earlier_riot(ctx):
        return True
    return bool(_has_any(ctx.toks, _phrases("clashed", "clashes", "clash", "pelted", "stones", "barricading",
                                            "barricades", "torched", "turned violent", "opened fire first",
                                            "fired first", "smashed", "set alight", "vandalised", "vandalized",
                                            "ransacked", "petrol bombs", "molotov")))


def _earlier_riot(ctx: _Ctx, back: int = 2) -> bool:
    """The demonstrators turned violent in one of the previous sentences of the paragraph ("Demonstrators
    clashed with police. One demonstrator was killed." is a violent demonstration)."""
    doc = ctx.doc
    here = doc.sentences[ctx.trigger.sentence]
    for s in doc.sentences[max(0, here.index - back):here.index]:
        if s.paragraph != here.paragraph:
            continue
        keys = {m.key for m in in_sentence(doc, s.index, "trigger")}
        if "riot" in keys or ("clash" in keys and keys & {"protest"}) or \
                ("clash" in keys and _has_any(_tokens(doc, s.start, s.end), _words("protest_words"))):
            return True
    return False


def _agent_inter(ctx: _Ctx) -> int | None:
    """Who holds the place after the trigger: the doer (its allies named inside the subject do not count),
    else the opposite of whom it was taken "from"."""
    agent = _main_agent(ctx)
    if agent is not None:
        i = _tok_index(ctx.toks, agent.start)
        j = _tok_index(ctx.toks, agent.end - 1) + 1
        if _has_any(ctx.toks, _words("pro_government"), max(0, i - 4), j):
            return 1  # "pro-government militias retook the town": the government side regains it
        if agent.inter in ARMED:
            return agent.inter
    loser = _taken_from(ctx)
    if loser is not None:
        return 1 if loser in NONSTATE else 2 if loser == 1 else None
    if agent is not None:
        return agent.inter
    inters = {a.inter for a in ctx.actors if a.inter in ARMED}
    return next(iter(inters)) if len(inters) == 1 else None


def _main_agent(ctx: _Ctx) -> _Actor | None:
    """The doer, stepping back over allies told inside the subject ("government troops backed by allied
    militias seized ...": the troops)."""
    if not ctx.agents:
        return None
    agent = ctx.agents[0]
    if ctx.passive:
        return agent
    allies = _words("ally_cues")
    while True:
        i = _tok_index(ctx.toks, agent.start)
        lead = _state_conjunct(ctx, agent, i)
        if lead is not None:
            return lead
        if not _has_any(ctx.toks, allies, max(0, i - 4), i):
            return agent
        earlier = [a for a in ctx.actors if a.end <= agent.start and a.inter in ARMED]
        if not earlier:
            return agent
        agent = earlier[-1]


def _state_conjunct(ctx: _Ctx, agent: _Actor, i: int) -> _Actor | None:
    """"pro-Hadi forces and Southern Resistance fighters took control of ...": a state force named first in
    a subject joined by "and" leads it (its allies fight at its side), so the state holds what they took."""
    if agent.inter == 1:
        return None
    # step back over the pieces of the nearest name ("Southern Resistance" + "fighters")
    start = agent.start
    for a in reversed([a for a in ctx.actors if a.end <= agent.start]):
        if ctx.doc.article.text[a.end:start].strip():
            break
        start, i = a.start, _tok_index(ctx.toks, a.start)
    text = ctx.doc.article.text
    k = i - 1  # (and over the words of a name the registry lacks: "Popular Mobilization fighters")
    while k > 0 and i - k <= 4 and text[ctx.toks[k].start:ctx.toks[k].start + 1].isupper():
        k -= 1
    i = k + 1
    if i < 2 or ctx.toks[i - 1].low != "and":
        return None
    before = [a for a in ctx.actors if a.end <= ctx.toks[i - 1].start]
    if before and before[-1].inter == 1 and not ctx.doc.article.text[before[-1].end:ctx.toks[i - 1].start].strip():
        return before[-1]
    return None


def _taken_from(ctx: _Ctx) -> int | None:
    """inter of the side a place was taken from ("recaptured the town of X from al-Shabaab")."""
    hi = min(len(ctx.toks), ctx.tj + 10)
    for k in range(ctx.tj, hi):
        if ctx.toks[k].low in {".", ";"}:
            return None
        if ctx.toks[k].low == "from":
            nxt = [a for a in ctx.actors if a.start >= ctx.toks[k].end and
                   _tok_index(ctx.toks, a.start) <= k + 4 and a.inter in ARMED]
            return nxt[0].inter if nxt else None
    return None


def _fighting(ctx: _Ctx) -> bool:
    fighting = _words("fighting_words") - {"captured", "overran"}
    for w in fighting:
        for i in _find_seq(ctx.toks, w):
            if i == 0 or ctx.toks[i - 1].low not in {"without", "no", "not", "any"}:
                return True
    return bool(ctx.classes & {"airstrike", "shelling", "kill"})


_CAPTURE_STOP = {"control", "town", "city", "village", "villages", "area", "areas", "district", "positions",
                 "position", "base", "bases", "hill", "hills", "headquarters", "checkpoint", "locality", "it", "of"}


def _captured(ctx: _Ctx) -> str | None:
    """What a capture verb took: "armed" (fighters), "civilian" (people), "object" (vehicles, weapons) or
    None (a place, or not told).  "Captured 2 rebels" or "vehicles were captured" is no territory taken."""
    toks = ctx.toks
    if toks[ctx.tj - 1].low in {"to", "of", "by", "into"}:  # "fell to militants": the agent follows
        return None
    if ctx.passive and ctx.targets:
        inter = ctx.targets[0].inter
        return "armed" if inter in ARMED else "civilian" if inter == 7 else None
    if ctx.passive:
        window = list(range(ctx.ti - 1, max(-1, ctx.ti - 6), -1))
    else:
        window = list(range(ctx.tj, min(len(toks), ctx.tj + 5)))
    words = _actor_words()
    objects = _words("capture_objects")
    if not ctx.passive and ctx.ti > 0 and toks[ctx.ti - 1].low in objects and toks[ctx.ti].low.endswith("ed"):
        return "object"  # "tanks and other equipment captured near Palmyra": a participle telling of things
    for i in window:
        w = toks[i].low
        if w in _CAPTURE_STOP or toks[i].low in {",", ".", ";"}:
            return None
        if w in objects:
            return "object"
        inter = words.get(w)
        if inter in ARMED:
            return "armed"
        if inter == 7 and w not in _OBJECT_WORDS:
            return "civilian"
    return None


def _clause_of_trigger(ctx: _Ctx) -> tuple[int, int]:
    """Token bounds of the trigger's clause, cut also before a clause told as simultaneous background
    ("shelling killed 15 civilians as fighting intensified")."""
    lo, hi = _clause_bounds(ctx.toks, ctx.ti)
    cues = _words("simultaneous_cues")
    for k in range(ctx.tj, hi):
        if ctx.toks[k].low in cues and k > ctx.tj:
            return lo, k
    for k in range(ctx.ti - 1, lo - 1, -1):
        if ctx.toks[k].low in cues:
            return k + 1, hi
    return lo, hi


def _in_clause(ctx: _Ctx, key: str) -> bool:
    lo, hi = _clause_of_trigger(ctx)
    return bool(_has_any(ctx.toks, _words(key), lo, hi))


@functools.cache
def _platforms() -> frozenset[str]:
    return frozenset(" ".join(_split(w)) for w in _words("air_platforms"))


def _platform_only(ctx: _Ctx) -> bool:
    """A bare aircraft/drone noun with nothing told about a strike ("troops backed by drones").  "The wounded",
    "the dead" as a noun ("helicopters evacuated the wounded") tell of harm done before, not by the aircraft."""
    if " ".join(_split(ctx.trigger.text)) not in _platforms():
        return False
    cues = _words("air_attack_cues")
    if not _has_any(ctx.toks, cues):
        return True
    toks = ctx.toks
    return not any(t.low in cues and not (k > 0 and toks[k - 1].low == "the" and t.low in _HARMED_NOUNS)
                   for k, t in enumerate(toks))


_HARMED_NOUNS = frozenset({"wounded", "injured", "dead"})


def _weapon_named_only(ctx: _Ctx) -> bool:
    """Heavy weapons named as things ("talks on limiting nuclear missiles", "the monitoring of heavy weapons"):
    no strike is told unless the sentence says they were fired, hit or landed somewhere."""
    if " ".join(_split(ctx.trigger.text)) not in _words("weapon_nouns"):
        return False
    n = len(ctx.toks)
    return not any(_has_any(ctx.toks, _words(cues), lo, hi) for cues in ("air_attack_cues", "fire_cues")
                   for lo, hi in ((0, ctx.ti), (ctx.tj, n)))  # (the trigger's own word is one of them)


@functools.cache
def _held_cues() -> frozenset[str]:
    return _words("weapon_object_cues") | _words("stopped_words") | {"stopped", "intercepted", "impounded"}




def _crude_fight(c: _Ctx) -> bool:
    """Fought with stones, sticks or knives, no armed group as the doer and no firearms told."""
    return not any(a.inter in ARMED and not a.crowd for a in c.agents) and bool(
        _has_any(c.toks, _words("crude_weapons"))) and not _has_any(c.toks, _words("small_arms"))


# words before "fight" that make it the noun or an infinitive ("a fight broke out", "continued to fight")
_FIGHT_NOUN_BEFORE = frozenset({"a", "an", "the", "this", "that", "their", "its", "his", "her", "to", "fierce",
                                "heavy", "armed", "bloody", "brief", "deadly", "violent", "of", "after", "in",
                                "during", "first", "second", "big", "major", "new", "latest", "final", "fist",
                                "street", "gun", "knife", "did", "would", "will", "could", "can", "may", "might"})


@functools.cache
def _air_told() -> frozenset[str]:
    """(one lasting object: the phrase tables of _cue_hits are kept per object)"""
    return _platforms() | _words("air_strike_words")


def _crime_context(c: _Ctx) -> bool:
    """Crime words (fraud, drugs, smuggling, theft) and no word of a conflict party, a protest or a weapon."""
    return bool(_has_any(c.toks, _words("crime_words"))) and not _has_any(c.toks, _words("conflict_words"))


def _arrest_before(c: _Ctx) -> bool:
    """An arrest told before the trigger in its sentence ("arrested a commander in a raid")."""
    return any(m.key == "arrest" and m.start < c.trigger.start for m in in_sentence(c.doc, c.trigger.sentence, "trigger"))


def _told_just_before(ctx: _Ctx, words) -> bool:
    """A word of ``words`` in the sentence before the trigger's, in the same paragraph."""
    k = ctx.trigger.sentence
    if k <= 0:
        return False
    prev, here = ctx.doc.sentences[k - 1], ctx.doc.sentences[k]
    return prev.paragraph == here.paragraph and bool(_has_any(_tokens(ctx.doc, prev.start, prev.end), words))


def _dropped_bomb(ctx: _Ctx) -> bool:
    """"Jets struck the village on Monday ... when a bomb hit a monastery": a bomb told where aircraft are
    (in this sentence or the one before it in the paragraph) fell from the air, unless it was planted."""
    if ctx.toks[ctx.ti].low not in ("bomb", "bombs") or _has_any(ctx.toks, _words("ground_bomb_words")):
        return False
    return bool(_has_any(ctx.toks, _air_told())) or _told_just_before(ctx, _air_told())


def _weapon_held(ctx: _Ctx) -> bool:
    """Explosives seized, found, carried or stopped ("seized a truck carrying 200 kg of explosives", "stopped a
    truck laden with explosives before it could be detonated"), with no blast or harm told in the sentence."""
    if not _has_any(ctx.toks, _held_cues(), max(0, ctx.ti - 14), ctx.ti) \
            and not _has_any(ctx.toks, _phrases("laden with", "loaded with", "packed with"), max(0, ctx.ti - 3), ctx.ti):
        return False
    return not _has_any(ctx.toks, _words("blast_words"))


def _goods_handed(ctx: _Ctx) -> bool:
    """"handed over 700 kg of medicine", "handed over the bodies": goods or people change hands, not land."""
    if not ctx.toks[ctx.ti].low.startswith("hand"):
        return False
    return bool(_has_any(ctx.toks, _words("handed_goods"), ctx.tj, min(len(ctx.toks), ctx.tj + 6)))


def _titled_object_not_place(ctx: _Ctx) -> bool:
    """A capture verb + capitalised word ("seized Sanaa") is territory only when the word is a place."""
    last = ctx.toks[ctx.tj - 1]
    text = ctx.doc.article.text[last.start:last.end]
    if not text[:1].isupper() or ctx.tj - ctx.ti != 2:
        return False
    places = in_sentence(ctx.doc, ctx.trigger.sentence, "place")
    return not any(m.start <= last.start < m.end for m in places)


def _bare_strike(toks: list[_Tok], text: str) -> bool:
    """"strike(s)" with no strikers or labour words near: an air strike, a military one, not a protest."""
    return text.lower() in {"strike", "strikes"} and not _has_any(toks, _words("striker_words"))


def _disaster(ctx: _Ctx) -> bool:
    """Deaths or damage the sentence puts down to a natural or accidental cause ("an earthquake struck,
    killing 12", "a gas cylinder blast", "a boat capsized, leaving 40 dead") with no weapon, attacker or
    fighting told beside it: not political violence."""
    if not _has_any(ctx.toks, _words("disaster_causes")) or _has_any(ctx.toks, _words("disaster_not_if")) or any(
            a.inter in ARMED and not a.crowd for a in ctx.agents):
        return False
    # "rioters hurled Molotov cocktails at the bank. ... damage was caused as a fire broke out": the cause
    # was told just before
    return not _told_just_before(ctx, _words("disaster_not_if"))


def _authority_actor(ctx: _Ctx) -> bool:
    return any(a.inter in ARMED for a in ctx.actors) or bool(_has_any(
        ctx.toks, ["government", "authorities", "ministry", "administration", "junta", "president", "governor",
                   "officials", "council", "court", "state"]))


CONDITIONS: dict[str, Callable[[_Ctx], bool]] = {
    "disaster_told": _disaster,
    "weapon_fired": lambda c: bool(c.classes & {"shelling", "airstrike", "drone", "missile", "ied", "landmine"}),
    "mining_context": lambda c: bool(_has_any(c.toks, _phrases(
        "mining", "miners", "gold", "coal", "mineral", "minerals", "artisanal", "quarry"))),
    "bomber_stopped": lambda c: bool(_has_any(c.toks, _words("stopped_words"), max(0, c.ti - 5), c.ti)),
    # (the cue may stand further back when a list of weapons follows it: "recovered a cache of arms and
    # ammunition, including rifles and grenades")
    "weapon_as_object": lambda c: bool(_has_any(c.toks, _words("weapon_object_cues"), max(0, c.ti - 14), c.ti)),
    "weapon_held": _weapon_held,
    # "fight over fuel theft, extortion and the drug trade": crimes named as a business, not an act told
    "crime_named": lambda c: c.toks[c.ti].low in _words("charge_nouns") and c.tj - c.ti == 1 and (
        (c.ti > 0 and c.toks[c.ti - 1].low in {"over", "for", "of", "in", ",", "and", "fuel", "cattle"})
        or (c.tj < len(c.toks) and c.toks[c.tj].low in {",", "and", "rackets", "ring", "rings", "networks"})),
    # "the two cartels fight over the fuel trade": the verb in the present tells a rivalry, not an event
    "present_fight": lambda c: c.toks[c.ti].low == "fight" and c.tj - c.ti == 1 and c.ti > 0
    and c.toks[c.ti - 1].low not in _FIGHT_NOUN_BEFORE and not c.toks[c.ti - 1].low.endswith("ly"),
    "dropped_bomb": _dropped_bomb,
    "state_bomber": lambda c: c.toks[c.ti].low in {"bombed", "bombarded"} and (
        a := _main_agent(c)) is not None and a.inter in (1, 8) and not a.crowd,
    "ordinary_crime": lambda c: _crime_context(c) and not any(a.inter in (2, 5, 6) for a in c.actors),
    "crime_context": lambda c: _crime_context(c),
    # (only a crime named as the charge after the arrest: a drug lab raided and dismantled is property
    # destruction, arrests or not)
    "crime_arrest": lambda c: c.toks[c.ti].low in _words("charge_nouns") and CONDITIONS["ordinary_crime"](c)
    and _arrest_before(c),
    "diplomats_object": lambda c: bool(_has_any(c.toks, _phrases(
        "diplomat", "diplomats", "ambassador", "ambassadors", "envoy", "envoys", "attache", "attaches",
        "charge d'affaires", "consul", "embassy staff"), c.tj, min(len(c.toks), c.tj + 5))),
    "arrest_raid": lambda c: c.toks[c.ti].low.startswith("raid") and not _lethal(c) and _arrest_before(c),
    "crude_protest": lambda c: _crude_fight(c) and bool(_has_any(c.toks, _words("protest_tactics"))),
    "nothing_found": lambda c: not _has_any(c.toks, _words("discovery_words")),
    "protest_or_riot_scene": lambda c: any(a.inter == 6 for a in c.agents) or bool(
        c.classes & {"riot", "protest"} and _has_any(c.toks, _words_plus("protest_words", "riot", "prisoners"))),
    "not_crowd_agent": lambda c: not c.agents or any(a.inter in ARMED and not a.mob for a in c.agents)
    or c.passive,
    "named_operation": lambda c: _named_operation(c),
    "between_sides": lambda c: bool(_has_any(c.toks, _phrases("between"), c.tj, min(len(c.toks), c.tj + 2))),
    "captured_armed": lambda c: _captured(c) == "armed",
    "captured_civilians": lambda c: _captured(c) == "civilian",
    "captured_objects": lambda c: _captured(c) == "object",
    "protest_context": lambda c: _protest_context(c) and not _grievance(c),
    # an arrest is of protesters when the sentence tells a protest itself, or the previous one did and this
    # one is not about a single named person ("He was arrested in connection with a case" is the grievance)
    "crude_fight": lambda c: _crude_fight(c),
    "not_armed_agent": lambda c: not any(a.inter in ARMED and not a.crowd for a in c.actors
                                         if a.end <= c.trigger.start),
    "no_takeover": lambda c: not _has_any(c.toks, _words("takeover_words")),
    "infinitive": lambda c: c.ti > 0 and c.toks[c.ti - 1].low == "to",
    "armed_blocker": lambda c: c.toks[c.ti].low.startswith("block") and any(
        a.inter in ARMED - {1} and not a.crowd for a in c.agents),
    "violent_protest_scene": lambda c: _protest_context(c) and not _grievance(c) and _violent_protesters(c)
    and not any(a.inter in ARMED - {1} and not a.crowd for a in c.actors),
    "protester_agent": lambda c: any(a.inter == 6 for a in c.agents),
    "figurative_attack": lambda c: bool(_has_any(c.toks, _words("abstract_targets"), c.tj,
                                                 min(len(c.toks), c.tj + 4))),
    "protest_arrest": lambda c: _protest_context(c) and not _grievance(c) and (
        _own_protest(c) or c.toks[0].low not in {"he", "she", "his", "her"}),
    "no_protest_context": lambda c: not (_protest_context(c) or _has_any(
        c.toks, ["crowd", "crowds", "gathering", "gathered", "procession", "mourners", "assembly"])),
    "protest_deaths": lambda c: _lethal(c) and not _violent_protesters(c),
    "protest_context_force": lambda c: _protest_context(c) and not _grievance(c),
    "target_protesters_lethal": lambda c: _protest_context(c) and not _grievance(c) and _lethal(c)
    and not _violent_protesters(c)
    and not any(a.inter in (5, 6) for a in c.agents),
    "target_armed": _target_armed,
    "target_armed_only": _target_armed_only,
    "mob_agent": _mob_agent,
    "mob_agent_no_protest": lambda c: _mob_agent(c) and "protest" not in c.classes,
    "rioter_agent": _rioter_agent,
    "mob_context": _mob_context,
    "one_sided_fire": _one_sided_fire,
    "statement_that": _statement_that,
    "arrest_after_protest": lambda c: bool(_has_any(c.toks, _AFTER_PROTEST, c.tj, len(c.toks))),
    "official_agent": lambda c: any(a.text.lower().split()[-1] in _OFFICIAL_HEADS for a in c.agents),
    "riot_not_crowd": _riot_not_crowd,
    "riot_not_crowd_on_people": _riot_not_crowd_on_people,
    "agent_state": lambda c: _agent_inter(c) == 1,
    "agent_nonstate": lambda c: _agent_inter(c) in NONSTATE,
    "doer_nonstate": lambda c: (a := _main_agent(c)) is not None and a.inter in NONSTATE,
    "fighting_words": _fighting,
    "unarmed_sides": lambda c: not any(a.inter in ARMED for a in c.actors) and not _armed_people(c)
    and not any(a.inter == 6 for a in c.actors)
    and bool(_has_any(c.toks, _phrases(
        "supporters", "members", "communities", "groups", "each other", "one another", "villagers", "residents",
        "families", "youths", "students", "tribes", "clans", "locals", "two sides", "rival"))),
    "no_demonstration": lambda c: not c.protest_nearby and not _has_any(c.toks, _words("protest_words")),
    "protest_tactic": lambda c: bool(_has_any(c.toks, _words("protest_tactics"))),
    "small_arms": lambda c: _in_clause(c, "small_arms"),
    "two_sided_fight": lambda c: _in_clause(c, "two_sided"),
    "platform_only": _platform_only,
    "goods_handed": _goods_handed,
    "weapon_named_only": _weapon_named_only,
    "no_conflict_context": lambda c: not any(a.inter in ARMED or a.inter in (5, 6) for a in c.actors)
    and not _has_any(c.toks, _words("agreement_context")),
    "titled_object_not_place": _titled_object_not_place,
    "strike_without_strikers": lambda c: _bare_strike(c.toks, c.trigger.text),
    "no_authority_actor": lambda c: not _authority_actor(c),
    "front_context": lambda c: bool(_has_any(c.toks, _words("front_context"))),
    "no_fighting_words_and_withdrawal": lambda c: not _fighting(c) and bool(_has_any(c.toks, _words("withdraw_words"))),
    "not_protest_strike": lambda c: c.trigger.text.lower() in {"strike", "strikes"} and bool(
        _has_any(c.toks, _words("not_protest_strike"), max(0, c.ti - 3), min(len(c.toks), c.tj + 3))),
    "foiled_generic_attack": lambda c: c.trigger.text.lower() in {"foiled", "thwarted", "repelled", "repulsed"}
    and bool(_has_any(c.toks, _phrases(
        "attack", "offensive", "infiltration", "assault", "advance", "incursion", "raid"), c.tj, c.tj + 7))
    and not _has_any(c.toks, _phrases(
        "bomb", "explosive", "explosives", "ied", "drone", "missile", "plot", "suicide", "weapons", "car"),
        c.tj, c.tj + 6),
}


def _named_operation(ctx: _Ctx) -> bool:
    """The trigger word is part of a name ("dubbed the Battle of Victory", "Operation Peace Spring"), not an
    event: a capitalised trigger inside the sentence, or one introduced by a naming verb."""
    text = ctx.doc.article.text
    word = text[ctx.toks[ctx.ti].start:ctx.toks[ctx.ti].end]
    if _has_any(ctx.toks, _words("naming_cues"), max(0, ctx.ti - 3), ctx.ti):
        return True
    if ctx.ti > 0 and word[:1].isupper() and not word.isupper():
        prev = ctx.toks[ctx.ti - 1].low
        nxt = ctx.toks[ctx.tj].low if ctx.tj < len(ctx.toks) else ""
        return prev in {"the", "a", "an"} and nxt in {"of", "for"} or ctx.toks[ctx.ti - 1].low == "operation"
    return False


def _grievance(ctx: _Ctx) -> bool:
    """The trigger names what a protest in the same sentence is about (an earlier event)."""
    if ctx.trigger.key == "protest":
        return False
    # (the word look-up first: it is made once per sentence, and most sentences tell of no protest)
    if _has_any(ctx.toks, _words_plus("protest_words", "dharna", "vigil")) and _relative_victim(ctx):
        return True  # "families of people killed by attacks protested ...": the killing is who they are
    g = _mod().get("grievance") or {}
    if not _first_protest_word(ctx.toks) < ctx.ti:
        return False  # no protest told before the trigger
    lo = max(0, ctx.ti - int(g.get("window", 6)))
    cue = _grievance_cue(ctx.toks, g.get("before") or [], lo, ctx.ti)
    if cue is None:
        # a longer grievance phrase ("against the arrest of a youth in a fake looting case") holds a noun
        # trigger as long as no coordinated clause comes between
        far = max(0, ctx.ti - 2 * int(g.get("window", 6)))
        cue = _grievance_cue(ctx.toks, g.get("before") or [], far, lo)
        # ("robbery and arson": nouns joined right before the trigger are one phrase, not two clauses)
        end = ctx.ti - 1 if ctx.ti > 0 and ctx.toks[ctx.ti - 1].low == "and" else ctx.ti
        if cue is None or _finite_verb(ctx) or _coordinated_after(ctx.toks, str(cue), far, end):
            return False
        # a verb of the protesters' own between ("demanding the reopening of the market threw stones ... and
        # burned tyres"): the trigger is what they did
        start = _find_seq(ctx.toks, str(cue), far, lo)
        k0 = (start[-1] + len(_split(str(cue)))) if start else far
        return not any(_past_form(t.low) and (k == 0 or ctx.toks[k - 1].low not in _NOMINAL_BEFORE)
                       for k, t in enumerate(ctx.toks[:ctx.ti]) if k >= k0)
    # "after floods destroyed their crops" always tells an earlier event; after "against"/"over" a finite
    # verb is the protesters' own act ("protesting against price rises torched a station")
    return cue in set(g.get("subordinators") or []) or not _finite_verb(ctx)


# "a mob of over 200 residents", "about 50 people": a quantity, not what a protest is over or about
_QUANTITY_CUES = frozenset({"over", "about"})
_NUMBER_WORDS = frozenset(WORD_VALUES) | {"hundred", "hundreds", "thousand", "thousands", "dozen", "dozens"}


def _grievance_cue(toks: list[_Tok], cues, lo: int, hi: int) -> str | None:
    """_has_any for the grievance cues, leaving out "over"/"about" before a number."""
    cue = _has_any(toks, cues, lo, hi)
    if cue not in _QUANTITY_CUES:
        return cue
    for i in _find_seq(toks, cue, lo, hi):
        nxt = toks[i + 1].low if i + 1 < len(toks) else ""
        if not (nxt[:1].isdigit() or nxt in _NUMBER_WORDS):
            return cue
    return _has_any(toks, [c for c in cues if c not in _QUANTITY_CUES], lo, hi)


def _first_protest_word(toks: list[_Tok]) -> int:
    """Index of the sentence's first word telling of a protest (len(toks) if none); once per sentence."""
    if not isinstance(toks, _Toks):
        return next((i for i, t in enumerate(toks) if _protest_word(t.low)), len(toks))
    got = toks.__dict__.get("first_protest")
    if got is None:  # speed: each distinct word looked at once, by set operations; its first position from the index
        pos = toks.pos if toks.pos is not None else _positions(toks)
        words = _words_of(toks)
        if not words.issubset(_PROTEST_SEEN):
            for w in words.difference(_PROTEST_SEEN):
                _protest_word(w)
        got = toks.__dict__["first_protest"] = len(toks) if words.isdisjoint(_PROTEST_WORDS) else min(
            pos[w][0] for w in words.intersection(_PROTEST_WORDS))
    return got


_PROTEST_SEEN: set[str] = set()  # the words judged so far by _protest_word
_PROTEST_WORDS: set[str] = set()  # those of them that tell of a protest


def _protest_word(word: str) -> bool:
    """Does the lower-cased word tell of a protest (see _first_protest_word)?  Remembered per word."""
    if word not in _PROTEST_SEEN:
        if len(_PROTEST_SEEN) > 100_000:
            _PROTEST_SEEN.clear()
            _PROTEST_WORDS.clear()
        if word in _words("protest_words") or word.startswith(("protest", "demonstrat", "riot")) \
                or word in {"mob", "mobs", "rioters"}:
            _PROTEST_WORDS.add(word)
        _PROTEST_SEEN.add(word)
    return word in _PROTEST_WORDS


def _relative_victim(ctx: _Ctx) -> bool:
    """The trigger sits in a relative clause describing someone ("a businessman who was killed",
    "people killed by attacks"), not in the sentence's main statement."""
    before = [t.low for t in ctx.toks[max(0, ctx.ti - 3):ctx.ti]]
    if any(w in _RELATIVE for w in before):
        return True
    nxt = ctx.toks[ctx.tj].low if ctx.tj < len(ctx.toks) else ""
    first = ctx.toks[ctx.ti].low
    if first.endswith("ed") and before and before[-1] in {"the", "a", "an", "his", "her", "their", "its"}:
        return True  # "the arrested former president": a participle describing someone
    if first.endswith("ed") and ctx.tj - ctx.ti == 1 and nxt in {"in", "at", "during", "since", "on", "for"} \
            and before and _actor_words().get(before[-1]) in (6, 7):
        return True  # "migrants detained in Spain", "people imprisoned in Donbas"
    return nxt == "by" and bool(before) and before[-1] in {"people", "those", "victims", "persons", "civilians",
                                                           "men", "women", "children", "relatives"}


_NOMINAL_BEFORE = {"the", "a", "an", "his", "her", "their", "its", "alleged", "illegal", "unjust", "recent", "brutal",
                   "arbitrary", "and", "of", "continued", "ongoing", "unlawful"}


def _finite_verb(ctx: _Ctx) -> bool:
    """"demonstrators protesting against price rises torched a station": a past-tense verb after a noun
    phrase is the protesters' own act, not the grievance named after "against" ("against the detained ...")."""
    first = ctx.toks[ctx.ti].low
    return first.endswith("ed") and ctx.ti > 0 and ctx.toks[ctx.ti - 1].low not in _NOMINAL_BEFORE


def _apply_overrides(ctx: _Ctx) -> tuple[str, str, int, list[str]]:
    attrs = ctx.trigger.attrs
    etype, sub, prio = attrs["event_type"], attrs["sub_event_type"], int(attrs["priority"])
    if attrs.get("label"):
        return etype, sub, prio, ["label:" + ctx.trigger.text]
    for cond, rule in _class_rules(ctx.trigger.key):
        if cond is None:
            raise KeyError(f"triggers.yaml: unknown condition {rule['when']!r}")
        if cond(ctx):
            return rule.get("type", ""), rule.get("sub", ""), int(rule.get("priority", prio)), [rule["when"]]
    return etype, sub, prio, []


@functools.cache
def _class_rules(key: str) -> tuple[tuple[Callable[[_Ctx], bool] | None, dict[str, Any]], ...]:
    """A trigger class's override rules with their condition functions, looked up once (speed)."""
    spec = _lex()["classes"].get(key, {})
    return tuple((CONDITIONS.get(rule["when"]), rule) for rule in spec.get("overrides") or [])


# ------------------------------------------------------------------------------------------ modality
def _clause_bounds(toks: list[_Tok], ti: int) -> tuple[int, int]:
    if isinstance(toks, _Toks):  # speed: the clause breaks of the sentence, listed once
        breaks = toks.__dict__.get("breaks")
        if breaks is None:
            pos = toks.pos if toks.pos is not None else _positions(toks)
            breaks = toks.__dict__["breaks"] = sorted(
                i for w in _CLAUSE_BREAK.intersection(_words_of(toks)) for i in pos[w])
        k = bisect.bisect_left(breaks, ti)
        return (breaks[k - 1] + 1 if k else 0), (breaks[k] if k < len(breaks) else len(toks))
    lo = ti
    while lo > 0 and toks[lo - 1].low not in _CLAUSE_BREAK:
        lo -= 1
    hi = ti
    while hi < len(toks) and toks[hi].low not in _CLAUSE_BREAK:
        hi += 1
    return lo, hi


def _cue_before(toks: list[_Tok], cues, lo: int, ti: int, window: int, skip_after: dict[str, frozenset]) -> str | None:
    if isinstance(toks, _Toks):
        return _cue_before_hits(toks, _cue_hits(toks, cues), lo, ti, window, skip_after)
    start = max(lo, ti - window)
    found = [(cue, _find_seq(toks, str(cue), start, ti)) for cue, _ in _with_firsts(cues)]
    return _first_cue(toks, found, ti, skip_after)


def _cue_before_hits(toks: _Toks, hits: list[tuple[Any, int, list[int] | None]], lo: int, ti: int, window: int,
                     skip_after: dict[str, frozenset]) -> str | None:
    """_cue_before from a list's hits in the sentence (see _cue_hits)."""
    start = max(lo, ti - window)
    return _first_cue(toks, [(cue, _window(toks, cue, n, idx, start, ti)) for cue, n, idx in hits], ti,
                      skip_after)


def _first_cue(toks: list[_Tok], found: list[tuple[Any, list[int]]], ti: int,
               skip_after: dict[str, frozenset]) -> str | None:
    for cue, starts in found:
        for i in starts:
            nxt = i + len(str(cue).split())
            follow = toks[nxt].low if nxt < len(toks) else ""
            if follow in skip_after.get(str(cue), frozenset()):
                continue
            if str(cue) == "may" and _is_month(toks, i):
                continue
            if _in_relative_clause(toks, i, nxt, ti):
                continue
            return str(cue)
    return None


_RELATIVE = {"who", "which", "whose", "whom"}


def _in_relative_clause(toks: list[_Tok], cue_i: int, cue_end: int, ti: int) -> bool:
    """The cue belongs to a relative clause that the trigger is outside of: "people who previously worked
    there held a protest" (the trigger comes well after the cue and its own verb)."""
    # (up to ten words back: "citizens who had blocked the Puente Vela sector to demand elections were dispersed")
    rel = [k for k in range(max(0, cue_i - 10), cue_i + 1) if toks[k].low in _RELATIVE]
    if not rel:
        return False
    if ti - cue_end >= 3 and rel[-1] >= cue_i - 4:
        return True
    # "teachers who passed the test in 2019 held a protest": the clause has its own verb and the trigger, a
    # finite verb right after it, is the sentence's main verb
    own_verb = any(_past_form(t.low) for t in toks[rel[-1] + 1:cue_i])
    return own_verb and ti < len(toks) and _past_form(toks[ti].low) and not any(
        _past_form(t.low) for t in toks[cue_end:ti])


_IRREGULAR_PAST = {"held", "took", "went", "fought", "began", "broke", "set", "threw", "made", "gave", "came", "burnt",
                   "left", "led", "shot", "struck", "hit", "ran", "stood", "sat", "lost", "won"}


def _past_form(word: str) -> bool:
    return (len(word) > 4 and word.endswith("ed")) or word in _IRREGULAR_PAST


_REL_PRESENT = {"have", "has", "is", "are", "'s", "'ve", "'re"}
_REL_ADVERBS = {"been", "long", "already", "repeatedly", "also", "since", "often", "now", "increasingly"}


def _descriptive_relative(toks: list[_Tok], ti: int) -> str | None:
    """"resistance forces that have seized control of large areas", "the cartel, which is fighting a rival":
    a present or present-perfect verb in a relative clause describes someone; it tells no event of its own."""
    k = ti - 1
    while k >= 0 and toks[k].low in _REL_ADVERBS:
        k -= 1
    if k < 1 or toks[k].low not in _REL_PRESENT:
        return None
    k -= 1
    while k >= 0 and toks[k].low in _REL_ADVERBS:
        k -= 1
    if k < 1 or toks[k].low not in _RELATIVE | {"that"}:
        return None
    if toks[k].low == "that" and toks[k - 1].low in _words("reporting_verbs") | {"denied", "warned", "feared"}:
        return None  # "said that rebels have seized the town": reported speech, not a relative clause
    return f"{toks[k].low} {toks[k + 1].low}"


def _is_month(toks: list[_Tok], i: int) -> bool:
    """"may" next to a number is the month ("On 9 May 2020")."""
    return any(0 <= j < len(toks) and toks[j].low.isdigit() for j in (i - 1, i + 1))


def _year_background(toks: list[_Tok], lo: int, hi: int, published: dt.date | None, preps,
                     ti: int = 0, tj: int = 0, window: int = 8) -> str | None:
    """A past year told near the trigger: before it (within the window, not in a relative clause of its own)
    or right after it ("captured the city in 2014")."""
    if ti > 0 and _YEAR_WORD.fullmatch(toks[ti - 1].low) and published is not None \
            and int(toks[ti - 1].low) < published.year and not (ti > 1 and toks[ti - 2].low in preps):
        return toks[ti - 1].low  # "the 2016 peace deal": a past year naming the event
    first, stop = max(lo, ti - window), min(hi, tj + 5) - 1
    if isinstance(toks, _Toks):  # speed: only a preposition or "since" can start what is looked for below
        memo = toks.__dict__.setdefault("year_starts", {})
        got = memo.get(id(preps))
        if got is None or got[0] is not preps:
            pos = toks.pos if toks.pos is not None else _positions(toks)
            got = memo[id(preps)] = (preps, sorted(i for w in (set(preps) | {"since"}).intersection(_words_of(toks))
                                                   for i in pos[w]))
        at = got[1][bisect.bisect_left(got[1], first):bisect.bisect_left(got[1], stop)]
    else:
        at = [i for i in range(first, stop) if toks[i].low in preps or toks[i].low == "since"]
    for i in at:
        if i < ti and _in_relative_clause(toks, i, i + 2, ti):
            continue
        k = _year_after(toks, i + 1, hi) if toks[i].low in preps else None
        if k is not None:
            year = int(toks[k].low)
            if toks[i].low == "since" or (published is not None and year < published.year):
                return f"{toks[i].low} {year}"
        if toks[i].low == "since" and toks[i + 1].low in _MONTHS - {"early", "late", "mid"}:
            return f"since {toks[i + 1].low}"  # "gripped by fighting since January 2": a lasting state
    return None


_YEAR_WORD = re.compile(r"(19|20)\d\d")
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec", "<month>", "early", "late", "mid"}


def _year_after(toks: list[_Tok], k: int, hi: int) -> int | None:
    """Index of a year right after a preposition, over a month and day between ("in September 2014")."""
    for j in range(k, min(hi, k + 4)):
        low = toks[j].low
        if _YEAR_WORD.fullmatch(low):
            return j
        if low not in _MONTHS and not low.isdigit() and low != ",":
            return None
    return None


def _reported_speech(toks: list[_Tok], lo: int, ti: int) -> bool:
    """A reporting verb before the trigger ("the army said its troops had liberated ..."): the past perfect
    is the tense shift of reported speech, not an event told as earlier background."""
    verbs = _words("reporting_verbs") if _lex().get("reporting_verbs") else frozenset()
    return any(t.low in verbs for t in toks[max(0, ti - 14):ti])


_ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "latest", "last", "next", "only"}


def _comparison(toks: list[_Tok], ti: int) -> str | None:
    """"making it the second city to fall ... after Raqqa": a ranking of the event among earlier ones, told
    by an ordinal + noun + "to" right before the trigger; the trigger names the kind, not a new event."""
    if ti < 3 or toks[ti - 1].low != "to":
        return None
    for k in range(ti - 2, max(-1, ti - 6), -1):
        if toks[k].low in _ORDINALS:
            return " ".join(t.low for t in toks[k:ti])
    return None


@functools.cache
def _mod_specs() -> tuple[int, tuple[tuple[Any, ...], ...]]:
    """The modality registry read once: the window and, per modality in order, (name, before cues,
    anywhere cues, adjacent cues, adjacent window, year prepositions, year window, words skipped after)."""
    mod = _mod()
    window = int(mod.get("window", 8))
    neg = mod.get("negated") or {}
    skip = {"no": frozenset(neg.get("not_after_no") or []), "not": frozenset(neg.get("not_after_not") or [])}
    specs = []
    for name in mod.get("order") or []:
        spec = mod.get(name) or {}
        preps = spec.get("year_prepositions")
        specs.append((name, spec.get("before") or [], spec.get("anywhere") or None, spec.get("adjacent") or None,
                      int(spec.get("adjacent_window", 3)), frozenset(preps) if preps else None,
                      int(spec.get("year_window", 2 * window)),
                      skip if name == "negated" else {"had": frozenset(spec.get("not_after_had") or [])}))
    return window, tuple(specs)


_LISTS = (list, tuple, frozenset, set)


@functools.cache
def _mod_lists() -> tuple:
    """The cue lists of the modality specs (see _prefetch)."""
    return tuple(x for spec in _mod_specs()[1] for x in spec[1:4] if isinstance(x, _LISTS))


def _mod_plan(toks: _Toks) -> list[tuple[Any, ...]]:
    """Speed: per sentence, the modality specs with the cue hits of their lists in it (see _cue_hits), made
    once and used for every trigger; a spec none of whose cues is in the sentence and which has no year
    check is left out (it cannot give a cue)."""
    plan = toks.__dict__.get("mod_plan")
    if plan is None:
        quiet = _quiet_plan()
        if quiet is not None and _multi(_mod_lists())[1].isdisjoint(_keys_of(toks)):
            # speed: no cue of any list is in the sentence (most hold none): the plan of no hits
            plan = toks.__dict__["mod_plan"] = quiet
            return plan
        plan = []
        _prefetch(toks, _mod_lists())
        hits = toks.hits  # every list of _mod_lists() is there now
        for name, before, anywhere, adjacent, adj_w, preps, year_w, skip in _mod_specs()[1]:
            bh = hits[id(before)][1] if isinstance(before, _LISTS) else None
            ah = hits[id(anywhere)][1] if isinstance(anywhere, _LISTS) else anywhere
            jh = hits[id(adjacent)][1] if isinstance(adjacent, _LISTS) else adjacent
            if bh is not None and not bh and not ah and not jh and preps is None:
                continue
            plan.append((name, before, bh, anywhere, ah, adjacent, jh, adj_w, preps, year_w, skip))
        toks.__dict__["mod_plan"] = plan
    return plan


@functools.cache
def _quiet_plan() -> list[tuple[Any, ...]] | None:
    """_mod_plan of a sentence holding no key of the modality lists' phrases (then every list's hits are
    empty); None when a list has a phrase of no words (whose hits are never empty)."""
    if any(_multi(_mod_lists())[3]):
        return None
    plan = []
    for name, before, anywhere, adjacent, adj_w, preps, year_w, skip in _mod_specs()[1]:
        bh = () if isinstance(before, _LISTS) else None
        ah = () if isinstance(anywhere, _LISTS) else anywhere
        jh = () if isinstance(adjacent, _LISTS) else adjacent
        if bh is not None and not bh and not ah and not jh and preps is None:
            continue
        plan.append((name, before, bh, anywhere, ah, adjacent, jh, adj_w, preps, year_w, skip))
    return plan


def modality_of(ctx: _Ctx) -> tuple[str, list[str]]:
    toks, ti = ctx.toks, ctx.ti
    lo, hi = _clause_bounds(toks, ti)
    window = _mod_specs()[0]
    if _grievance(ctx):
        return "background", ["grievance"]
    rel = _descriptive_relative(toks, ti)
    if rel:
        return "background", [rel]
    cmp_cue = _comparison(toks, ti)
    if cmp_cue:
        return "background", [cmp_cue]
    if not isinstance(toks, _Toks):
        toks = _Toks(toks)  # the per-sentence indexes are built on first use
    # "offered condolences after the attack that killed 14 soldiers": a verb in a relative clause on an event
    # noun is told with that noun, so the cues before the noun govern it
    ref = _antecedent_event(ctx) if ti >= 2 and toks[ti - 1].low in ("that", "which") else ti
    for name, before, bh, anywhere, ah, adjacent, jh, adj_w, preps, year_w, skip in _mod_plan(toks):
        cue = None
        if bh is None:
            cue = _cue_before(toks, before, lo, ref, window, skip)
        elif bh:
            cue = _cue_before_hits(toks, bh, lo, ref, window, skip)
        if cue is None and ah:
            cue = _has_any(toks, anywhere, lo, hi)
            if cue is not None and _attached_after(ctx, str(cue), lo, hi):
                cue = None  # "retook the village after rebels who overran it last month": another verb's time
        if cue is None and jh and not (name == "background" and _reported_speech(toks, lo, ti)):
            cue = _cue_before(toks, adjacent, lo, ti, adj_w, skip)
        if cue is None and preps is not None:
            # a year reaches further than other cues: "in 2019 after the group bombed a police academy in
            # Bogota, killing 22 cadets" tells the whole clause as past
            cue = _year_background(toks, lo, hi, ctx.doc.article.published, preps, ti, ctx.tj, year_w)
        if cue is not None and str(cue) in _object_only(name) and _coordinated_after(toks, str(cue), lo, ti):
            # "rejected the price rise and clashed with police": the clash is told as done; another cue of
            # the list may still govern the trigger ("rejected a plan and opposed the deployment")
            cue = next((c for c in _object_only(name) if c != cue and _find_seq(toks, c, max(lo, ti - window), ti)
                        and not _coordinated_after(toks, c, max(lo, ti - window), ti)), None)
        if cue is not None:
            return name, [cue]
    return "asserted", []


_RELATIVES = {"who", "whom", "whose", "which", "where"}


def _antecedent_event(ctx: _Ctx) -> int:
    """The first token of the event noun a relative clause hangs on ("the attack that killed ..."), or the
    trigger's own token when the word before "that"/"which" is no trigger."""
    at = ctx.toks[ctx.ti - 2].start
    for m in in_sentence(ctx.doc, ctx.trigger.sentence, "trigger"):
        if m.start <= at < m.end and m is not ctx.trigger:
            return _tok_index(ctx.toks, m.start)
    return ctx.ti


def _attached_after(ctx: _Ctx, cue: str, lo: int, hi: int) -> bool:
    """Is every occurrence of a clause-wide cue after the trigger with another event word or a relative
    pronoun in between?  Then the cue tells that nearer verb's time, not the trigger's."""
    toks = ctx.toks
    starts = _find_seq(toks, cue, lo, hi)
    if not starts:
        return False
    others = [m for m in in_sentence(ctx.doc, ctx.trigger.sentence, "trigger")
              if m.start >= ctx.trigger.end and m is not ctx.trigger]
    for i in starts:
        if i < ctx.tj:
            return False
        if any(t.low in _RELATIVES for t in toks[ctx.tj:i]):
            continue
        if any(m.end <= toks[i].start for m in others):
            continue
        return False
    return True


@functools.cache
def _object_only(name: str) -> frozenset[str]:
    """Cues of a modality that hold only for what they govern ("rejected a peace plan"), not for a verb
    coordinated after them (data/modality.yaml, ``object_only``)."""
    return frozenset(str(c) for c in ((_mod().get(name) or {}).get("object_only") or []))


_COORDINATORS = {"and", "but", "then", ",", ";", "before", "after", "while", "when", "as"}


def _coordinated_after(toks: list[_Tok], cue: str, lo: int, ti: int) -> bool:
    """Does a coordinator or clause break stand between the last ``cue`` before the trigger and the trigger?"""
    starts = _find_seq(toks, cue, lo, ti)
    if not starts:
        return False
    end = starts[-1] + len(_split(cue))
    return any(t.low in _COORDINATORS for t in toks[end:ti])


# ------------------------------------------------------------------------------------------ main
def _segments(toks: list[_Tok]) -> list[tuple[int, int]]:
    """Split a sentence at cues that introduce a clearly separate event ("; separately, ...")."""
    cuts = []
    cues = _lex().get("separate_event_cues") or []
    if isinstance(toks, _Toks):
        found = [_window(toks, cue, n, idx, 0, None) for cue, n, idx in _cue_hits(toks, cues)]
    else:
        found = [_find_seq(toks, str(cue)) for cue in cues]
    for starts in found:
        for i in starts:
            if i > 0:
                cuts.append(i)
    bounds, prev = [], 0
    for c in sorted(set(cuts)):
        bounds.append((prev, c))
        prev = c
    bounds.append((prev, len(toks)))
    return [b for b in bounds if b[1] > b[0]]


def _score(weight: float, priority: int, modality: str, has_actor: bool, is_label: bool) -> float:
    # specific, decisive triggers (high priority) are more telling than generic ones
    s = weight * (0.75 + 0.25 * min(priority, 100) / 100) * _MODALITY_FACTOR.get(modality, 0.5)
    s += 0.05 if has_actor else 0.0
    s += 0.1 if is_label else 0.0
    return round(max(0.0, min(1.0, s)), 3)


def _typed(doc: AnalyzedDoc, toks: list[_Tok], actors: list[_Actor], trig: Mention,
           classes: set[str], protest_nearby: bool) -> tuple[int, TypedTrigger] | None:
    head = _typed_head(doc, toks, actors, trig, classes, protest_nearby)
    return None if head is None else _typed_tail(*head)


_Head = tuple[_Ctx, str, str, int, list[str]]


def _typed_head(doc: AnalyzedDoc, toks: list[_Tok], actors: list[_Actor], trig: Mention,
                classes: set[str], protest_nearby: bool) -> _Head | None:
    """The trigger's roles and type (None: no event type), before its modality (see _typed_tail)."""
    ti = _tok_index(toks, trig.start)
    tj = max(ti + 1, _tok_index(toks, trig.end - 1) + 1)
    ctx = _Ctx(doc, toks, actors, trig, ti, tj, classes, protest_nearby)
    _roles(ctx)
    etype, sub, prio, cues = _apply_overrides(ctx)
    if not etype or not sub:
        return None
    return ctx, etype, sub, prio, cues


def _typed_tail(ctx: _Ctx, etype: str, sub: str, prio: int, cues: list[str]) -> tuple[int, TypedTrigger]:
    """The typed trigger of a _typed_head: its modality and score."""
    trig = ctx.trigger
    if trig.attrs.get("label"):
        modality, mcues = "asserted", []  # a category label ("Looting:") tells what happened
    else:
        modality, mcues = modality_of(ctx)
    score = _score(float(trig.attrs.get("weight", 0.5)), prio, modality, bool(ctx.agents or ctx.targets),
                   bool(trig.attrs.get("label")))
    return prio, TypedTrigger(trig, etype, sub, score, modality, [trig.text.lower()] + cues + mcues)


def _protest_nearby(doc: AnalyzedDoc, sentence: Sentence, back: int = 2) -> bool:
    """A protest told in one of the ``back`` previous sentences of the same paragraph."""
    for s in doc.sentences[max(0, sentence.index - back):sentence.index]:
        if s.paragraph != sentence.paragraph:
            continue
        trigs = [m for m in in_sentence(doc, s.index, "trigger") if m.key in ("protest", "riot")]
        if trigs and any(not _bare_strike(_tokens(doc, s.start, s.end), m.text) for m in trigs):
            return True
    return False


_ANAPHOR_DET = {"the", "this", "that", "these", "those"}
_INJURY_ONLY = {"injured", "wounded", "injuring", "wounding"}
_PRONOUN_SUBJECTS = {"he", "she", "his", "her", "they", "their"}
_DEFINITE = _ANAPHOR_DET | {"its", "their", "his", "her", "'s"}
_NOT_MODIFIER = frozenset({"was", "were", "is", "are", "be", "been", "had", "has", "have", "he", "she", "it", "they",
                           "we", "who", "which", ",", "and", "or"})


_TOLL_KEYS = frozenset({"kill", "armed_dead", "burn", "loot"})
_TOOK_PLACE = frozenset({"took", "happened", "occurred", "began", "lasted", "unfolded", "started"})


def _describes_told_event(doc: AnalyzedDoc, sentence: Sentence, toks: list[_Tok]) -> bool:
    """"The attack took place near the village of X, when gunmen fired on the escort with rockets": a
    sentence opening on the event just told ("the attack", "the ambush" + took place / happened / came)
    describes it further; none of its words is a new event."""
    if len(toks) < 3 or toks[0].low != "the" or toks[2].low not in _TOOK_PLACE:
        return False
    return any(m.start == toks[1].start for m in in_sentence(doc, sentence.index, "trigger"))


def _toll_line(doc: AnalyzedDoc, sentence: Sentence, toks: list[_Tok], prev: int) -> bool:
    """"Thirteen LNA soldiers were reportedly killed.", "One person was killed in the clash": right after an
    event told in the paragraph, a sentence whose only event words are deaths in the passive, with no doer
    named, gives that event's toll; it tells no event of its own ("In a separate incident, two men were
    killed" does)."""
    before = doc.sentences[prev]
    if before.paragraph != sentence.paragraph or sentence.index - before.index > 2:
        return False
    trigs = in_sentence(doc, sentence.index, "trigger")
    if any(m.key not in _TOLL_KEYS for m in trigs):
        return False
    if any(m.key in ("burn", "loot") for m in trigs) and not {"protest", "riot", "mob"}.isdisjoint(
            m.key for m in in_sentence(doc, before.index, "trigger")):
        return False  # "Prisoners demonstrated ... Chairs were burnt": the burning makes the protest violent
    # (the first death word decides: "Nine soldiers were killed and sixteen others injured")
    k = _tok_index(toks, trigs[0].start) - 1
    while k >= 0 and (toks[k].low in _ADVERBS or toks[k].low.endswith("ly")):
        k -= 1
    if k < 0 or toks[k].low not in ("was", "were"):
        return False
    if _has_any(toks, _phrases("by")) or _has_any(toks, _words("separate_event_cues")):
        return False
    return True


def _told_with_date(doc: AnalyzedDoc, sentence: Sentence, toks: list[_Tok], trig: Mention) -> bool:
    """The claimed event is told with its own date right after it ("claimed responsibility for the IED attack
    in Kandahar on 3 May"): a report of that event, not a bare reference to one told elsewhere.  (A place
    alone does not make it one: "claimed the attack on the hotel in Mogadishu" names the event as known.)"""
    tj = _tok_index(toks, trig.end - 1) + 1
    hi = tj
    while hi < len(toks) and hi - tj < 8 and toks[hi].low not in _CLAUSE_BREAK and toks[hi].low not in (",", "."):
        hi += 1
    if hi == tj:
        return False
    end = toks[hi - 1].end
    return any(trig.end <= m.start < end for m in in_sentence(doc, sentence.index, "date"))


def _attributed_back(toks: list[_Tok], ti: int) -> bool:
    """"claimed responsibility for the attack", "blamed the Maoists for Sunday's ambush", "were behind the
    killing", "condemned the bombing": a definite event named as what someone claims, is blamed for or
    condemns is an event told elsewhere; it tells no new one (when the text tells that event, the claim
    goes to it as the account goes on)."""
    # the determiner right before the trigger or one word before it ("the deadly attack"); "that" only right
    # before it ("claimed that he was tortured" names no event)
    if ti > 1 and toks[ti - 1].low in {"that", "which"}:
        # "responsible for the car bomb that killed a commentator": the killing is that event's
        return any(_attributed_back(toks, j) for j in range(ti - 2, max(0, ti - 5), -1)
                   if toks[j - 1].low not in {"that", "which"})
    det = next((k for k in range(ti - 1, max(-1, ti - 3), -1) if toks[k].low in _DEFINITE), None)
    if det is None or (det < ti - 1 and (toks[det].low == "that" or toks[ti - 1].low in _NOT_MODIFIER)):
        return False
    end = det - 1 if toks[det].low == "'s" else det  # "for Sunday's attack": the cue ends before "Sunday"
    if end <= 0:
        return False
    before = [t.low for t in toks[max(0, end - 2):end]]
    cues = _words("attribution_cues")
    if before and (before[-1] in cues or " ".join(before[-2:]) in cues):
        return True
    # "blamed the Maoists for the ambush", "accused the army of the killing"
    if before and before[-1] in {"for", "of"}:
        return any(t.low in _words("blame_verbs") for t in toks[max(0, end - 8):end - 1])
    return False



def _participle_adjective(toks: list[_Tok], trig: Mention) -> bool:
    """"the besieged garrison", "an abducted student": a one-word participle after an article describes a
    noun; it tells no event of its own."""
    ti = _tok_index(toks, trig.start)
    if ti == 0 or ti >= len(toks) or trig.end != toks[ti].end or trig.text.isupper():
        return False  # an acronym ("an IED", "the UAV") is a noun, not a participle
    word = toks[ti].low
    if not word.endswith(("ed", "en")):
        return False
    if toks[ti - 1].low == "-" and ti > 1 and toks[ti - 2].end == toks[ti - 1].start \
            and toks[ti - 1].end == toks[ti].start and toks[ti - 2].low not in _VERB_PREFIXES:
        return True  # the tail of a compound adjective: "a democratically-elected assembly", "newly-formed"
    return toks[ti - 1].low in {"the", "a", "an"} and word not in {"seized"}


# "re-captured", "counter-attacked": a prefixed verb, not a compound adjective
_VERB_PREFIXES = frozenset({"re", "pre", "co", "counter", "over", "under", "out", "mis", "un", "de", "cross"})


def _trigger_sentences(doc: AnalyzedDoc, before: int) -> list[Sentence]:
    """The sentences of ``doc.sentences[:before]`` that hold a trigger (speed: the document's are listed
    once per mention list, not once per trigger)."""
    at = _trigger_index(doc)
    return [doc.sentences[k] for k in at[:bisect.bisect_left(at, before)]]


def _trigger_index(doc: AnalyzedDoc) -> list[int]:
    """Positions in ``doc.sentences`` of the sentences holding a trigger (see _trigger_sentences)."""
    c = doc.__dict__.get("_typing_trigger_sents")
    if c is None or c[0] is not doc.mentions or c[1] != len(doc.mentions) or c[2] is not doc.sentences \
            or c[3] != len(doc.sentences):
        held = {m.sentence for m in of_kind(doc, "trigger")}  # (speed: not a look-up per sentence)
        at = [k for k, s in enumerate(doc.sentences) if s.index in held]
        c = (doc.mentions, len(doc.mentions), doc.sentences, len(doc.sentences), at)
        doc.__dict__["_typing_trigger_sents"] = c
    return c[4]


def _told_before(doc: AnalyzedDoc, sentence: Sentence, toks: list[_Tok], trig: Mention,
                 actors: list[_Actor]) -> bool:
    """A trigger that only refers back to an event already told is no new event:
    "the attack happened days after ..." (a definite noun once an event has been told), a bare casualty line
    ("Half a dozen injured."), or "He was arrested in connection with ..." after a protest against his arrest."""
    ti = _tok_index(toks, trig.start)
    if ti < len(toks) and _attributed_back(toks, ti) and not _told_with_date(doc, sentence, toks, trig):
        return True
    at = _trigger_index(doc)
    n = bisect.bisect_left(at, sentence.index)  # how many sentences before this one hold a trigger
    if not n:
        return False
    first = toks[ti].low if ti < len(toks) else ""
    if ti > 0 and toks[ti - 1].low in _ANAPHOR_DET and not first.endswith("ed"):
        return True
    if ti > 0 and toks[ti - 1].low == "those" and first.endswith("ed"):
        return True  # "most of those killed were civilians": the victims of the event told before
    if first in _INJURY_ONLY and len(toks) <= 12 and not any(a.inter in ARMED for a in actors):
        return True
    if trig.key in _TOLL_KEYS and _toll_line(doc, sentence, toks, at[n - 1]):
        return True
    if _describes_told_event(doc, sentence, toks):
        return True
    if len(toks) > 1 and toks[0].low == "the" and toks[1].low in {"victim", "victims", "body", "bodies", "corpse"}:
        return True  # "The victim had his hands tied ...": the same killing described further
    if toks and toks[0].low in _PRONOUN_SUBJECTS:
        for s in (doc.sentences[k] for k in at[max(0, n - 2):n]):
            if s.paragraph != sentence.paragraph:
                continue
            keys = {m.key for m in in_sentence(doc, s.index, "trigger")}
            if "protest" in keys and trig.key in keys:
                return True  # the protest's grievance, told again
    return False


_YEAR_END = re.compile(r"\b(19|20)\d\d$")


def _year_told(t: TypedTrigger) -> bool:
    """Background because a past year is told ("in 2019", "since 2014")."""
    # ("since the prison riot" is background by its own word, not by a year told for the whole clause)
    return t.modality == "background" and bool(t.cues) and bool(
        _YEAR_END.search(t.cues[-1]) or (t.cues[-1].startswith("since ") and any(c.isdigit() for c in t.cues[-1])))


def _same_clause(toks: list[_Tok], a: TypedTrigger, b: TypedTrigger) -> bool:
    """Both triggers sit in one clause: a background told for one ("In 2022, forces recaptured Izium in a
    counteroffensive") holds for the other."""
    return _clause_bounds(toks, _tok_index(toks, a.trigger.start)) == \
        _clause_bounds(toks, _tok_index(toks, b.trigger.start))


def classify_sentence(doc: AnalyzedDoc, sentence: Sentence) -> list[TypedTrigger]:
    """Typed events of one sentence: usually one; several only for clearly separate events.

    The highest-priority trigger of each segment decides; when it is not asserted, the best asserted
    trigger of a different sub-event type is kept as well.  At most one result per sub-event type.
    """
    triggers = [m for m in in_sentence(doc, sentence.index, "trigger")]
    if not triggers:
        return []
    toks = _tokens(doc, sentence.start, sentence.end)
    if not toks:
        return []
    actors = _actors(doc, sentence, toks)
    nearby = _protest_nearby(doc, sentence)
    out: list[TypedTrigger] = []
    seen: set[str] = set()
    for lo, hi in _segments(toks):
        s_char, e_char = toks[lo].start, toks[hi - 1].end
        seg_trigs = [t for t in triggers if s_char <= t.start < e_char]
        if len(seg_trigs) > 1:
            # "RSF fighters stormed the town, killing 18 civilians, as fighting spread along the highway": the
            # aside told after ", as" / "amid" is the setting of the sentence's event, not an event that
            # outranks it (only when the main clause names who acted: in "four were killed amid revenge
            # killings between two clans" the aside tells who fought)
            main = [t for t in seg_trigs if not _in_aside(toks, _tok_index(toks, t.start), lo)]
            if main and len(main) < len(seg_trigs) and any(a.end <= main[0].start and a.inter in ARMED
                                                           for a in actors):
                seg_trigs = main
        classes = {t.key for t in seg_trigs}

        def head_of(t: Mention, classes: set[str] = classes) -> _Head | None:
            if _told_before(doc, sentence, toks, t, actors) or _participle_adjective(toks, t):
                return None
            return _typed_head(doc, toks, actors, t, classes, nearby)

        # speed: only the triggers of the top priority decide when the best of them is asserted (then no
        # lower one is kept); a trigger whose rules cannot reach the top priority found so far is typed
        # only when a lower one may be kept.  The ranking is the same.
        heads: list[_Head] = []
        left = sorted(seg_trigs, key=_upper_priority, reverse=True)
        top = None
        while left and (top is None or _upper_priority(left[0]) >= top):
            head = head_of(left.pop(0))
            if head is not None:
                heads.append(head)
                top = head[3] if top is None else max(top, head[3])
        if not heads:
            continue
        ranked = [_typed_tail(*h) for h in heads if h[3] == top]
        ranked.sort(key=lambda pt: (-pt[0], -pt[1].score, pt[1].trigger.start))
        if ranked[0][1].modality != "asserted":
            heads += [h for h in map(head_of, left) if h is not None]
            if len(ranked) < len(heads):
                ranked += [_typed_tail(*h) for h in heads if h[3] != top]
                ranked.sort(key=lambda pt: (-pt[0], -pt[1].score, pt[1].trigger.start))
        best = ranked[0][1]
        picks = [best]
        if best.modality != "asserted":
            alt = next((t for _, t in ranked[1:] if t.modality == "asserted"
                        and t.sub_event_type != best.sub_event_type
                        and not (_year_told(best) and _same_clause(toks, best, t))), None)
            if alt is not None:
                picks.append(alt)
        picks.sort(key=lambda t: t.modality != "asserted")
        for p in picks:
            if p.sub_event_type not in seen:
                seen.add(p.sub_event_type)
                out.append(p)
    return out


_ASIDE_OPENERS = frozenset({"as", "amid", "amidst"})
_ASIDE_NOT_AFTER = frozenset({"well", "such", "so", "soon", "long", "far", "much", "many"})


def _in_aside(toks: list[_Tok], ti: int, lo: int) -> bool:
    """Token ti stands in an aside opened by ", as" or "amid" ("..., as fighting spread"; "amid clashes")
    with no clause break or other comma between the opener and it."""
    for k in range(ti - 1, max(lo, ti - 12) - 1, -1):
        w = toks[k].low
        if w in _CLAUSE_BREAK or w in (",", ".", "and"):
            return False
        if w in _ASIDE_OPENERS:
            if w == "as" and (k == 0 or toks[k - 1].low != "," or (
                    k + 1 < len(toks) and toks[k + 1].low in _ASIDE_NOT_AFTER)):
                return False
            return True
    return False


def _upper_priority(trig: Mention) -> int:
    """The highest priority a trigger can be typed with: its own, or that of one of its class's rules."""
    prio = int(trig.attrs["priority"])
    label = bool(trig.attrs.get("label"))
    got = _UPPER.get((trig.key, prio, label))
    if got is None:  # speed: the same for every trigger of a class, priority and label
        got = _UPPER[(trig.key, prio, label)] = prio if label else max(
            [prio] + [int(rule.get("priority", prio)) for _, rule in _class_rules(trig.key)])
    return got


_UPPER: dict[tuple[str, int, bool], int] = {}


def classify_doc(doc: AnalyzedDoc) -> list[tuple[Sentence, TypedTrigger]]:
    """Every sentence's typed triggers, in text order (repeated paragraphs skipped)."""
    return [(s, t) for s in doc.sentences if not s.repeated for t in classify_sentence(doc, s)]


def warm_caches() -> None:
    """Load the registries and build the word tables (the pipeline calls this when it loads)."""
    _lex()
    _mod()
    _actor_words()
    _actor_longest()
    _actor_firsts()
    _actor_lengths_by_first()
    _mob_phrases()
    _mod_specs()
    _quiet_plan()
    _platforms()

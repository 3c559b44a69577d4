"""Event trigger words from the trigger lexicon (sitrep/data/triggers.yaml).

CONTRACT: TriggerMatcher().find(doc) -> list[Mention] kind="trigger"; key = trigger class
  (e.g. "airstrike", "shelling", "clash", "capture", "kill", "abduct", "protest", ...), attrs from the lexicon.

attrs: {"event_type", "sub_event_type", "priority", "weight", "label"} — "label" is True when the trigger is
an ACLED-style category label opening a sentence ("Looting: On 5 May ...").

The blank spaCy pipeline has no lemmatizer, so verb inflections are generated here by a small regular
suffix rule (plus the irregular forms listed in the YAML); spaCy's lookup lemmatizer would need the
spacy-lookups-data package and still not cover multiword verb phrases.
"""
from __future__ import annotations

import bisect
import functools
import itertools
from typing import Any

import numpy as np
import spacy
from spacy.attrs import IS_PUNCT, LOWER
from spacy.matcher import Matcher, PhraseMatcher

from sitrep.data import load_yaml
from sitrep.errors import RegistryError
from sitrep.model import AnalyzedDoc, Mention, token_table
from sitrep.nlp.numbers import sentence_finder

_VOWELS = set("aeiou")


def inflect_word(word: str) -> set[str]:
    """Regular inflections of an English verb: base, -s, -ed, -ing (with e-drop, y->i, final doubling)."""
    w = word.lower()
    forms = {w}
    if w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing"}
    elif w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {w + "es", w + "ed", w + "ing"}
    else:
        forms |= {w + "s", w + "ed", w + "ing"}
        # consonant-vowel-consonant ending: both doubled and plain forms (over-generation is harmless)
        if len(w) >= 3 and w[-1] not in _VOWELS | {"w", "x", "y"} and w[-2] in _VOWELS and w[-3] not in _VOWELS:
            forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return forms


def verb_forms(phrase: str, irregular: dict[str, list[str]]) -> set[str]:
    """All forms of a verb phrase whose first word is the verb ("take control of" -> "took control of", ...)."""
    first, _, rest = phrase.lower().partition(" ")
    heads = inflect_word(first) | set(irregular.get(first, []))
    return {(h + " " + rest).strip() for h in heads}


@functools.cache
def lexicon() -> dict[str, Any]:
    data = load_yaml("triggers.yaml")
    if not isinstance(data, dict) or "classes" not in data:
        raise RegistryError("triggers.yaml: missing 'classes'")
    return data


def class_attrs(name: str) -> dict[str, Any]:
    return dict(_class_attrs(name))


@functools.cache
def _class_attrs(name: str) -> dict[str, Any]:
    """A class's attrs read once (speed: asked per trigger found); callers get copies."""
    spec = lexicon()["classes"][name]
    return {"event_type": spec["type"], "sub_event_type": spec["sub"], "priority": int(spec.get("priority", 0)),
            "weight": float(spec.get("weight", 0.5)), "label": False}


def _token_pattern(items: list[Any], irregular: dict[str, list[str]]) -> list[dict[str, Any]]:
    pattern: list[dict[str, Any]] = []
    for item in items:
        if item == "TITLE":  # a capitalised word ("seized Sanaa"); typing.py checks it is a place
            pattern.append({"IS_TITLE": True})
        elif isinstance(item, str) and item.startswith("*"):
            pattern.append({"IS_PUNCT": False, "OP": f"{{0,{int(item[1:])}}}"})
        elif isinstance(item, dict) and "v" in item:
            words = set()
            for v in item["v"]:
                words |= verb_forms(v, irregular)
            # multiword verb phrases cannot sit in one token slot: keep single words only
            pattern.append({"LOWER": {"IN": sorted(w for w in words if " " not in w)}})
        elif isinstance(item, list):
            pattern.append({"LOWER": {"IN": [str(w).lower() for w in item]}})
        else:
            raise RegistryError(f"triggers.yaml: bad pattern item {item!r}")
    return pattern


_MONTH_LIKE = {"march", "may"}


def _is_date_word(tokens, s: int, e: int) -> bool:
    """"March"/"May" written as a month ("3 March 2020", "May 5"), not a verb."""
    if e - s != 1 or tokens[s].lower_ not in _MONTH_LIKE:
        return False
    near = [tokens[i] for i in (s - 1, s + 1) if 0 <= i < len(tokens)]
    if not tokens[s].text[0].isupper():
        return False
    if any(t.like_num for t in near):
        return True
    # "the following March", "in May", "since March": a capitalised month word after a time word
    return s > 0 and tokens[s - 1].lower_ in _MONTH_BEFORE


_MONTH_BEFORE = {"in", "since", "until", "till", "by", "following", "last", "next", "this", "that", "early", "late",
                 "mid", "of", "from", "through", "before", "after", "during", "each", "every", "previous", "coming"}


@functools.cache
def _reject_words(name: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon()["classes"][name].get("reject_inside") or [])


def _rejected(name: str, texts: list[str], s: int, e: int) -> bool:
    """A gapped pattern that spans a word its class rejects ("traded accusations after artillery shells")
    is no match; dropping it before the longest-match selection lets the shorter, right triggers win.
    ``texts``: the token texts (a TokenTable's; their lower-case form is spaCy's LOWER)."""
    bad = _reject_words(name)
    return bool(bad) and any(texts[i].lower() in bad for i in range(s, e))


class TriggerMatcher:
    """Finds trigger words and phrases; overlapping matches keep the longest (then the higher priority)."""

    def __init__(self, nlp=None):
        self._nlp = nlp or spacy.blank("en")
        self._built_for = None
        self._phrases: PhraseMatcher | None = None
        self._patterns: Matcher | None = None
        self._required: list[list[frozenset[int]]] = []  # per token pattern: word hashes of each fixed slot
        lexicon()  # the registry is read when the pipeline loads, not on the first article

    def _build(self, vocab) -> None:
        data = lexicon()
        irregular = {k: list(v) for k, v in (data.get("irregular") or {}).items()}
        phrases = PhraseMatcher(vocab, attr="LOWER")
        patterns = Matcher(vocab)
        self._required = []
        self._token_specs: list[tuple[str, list[dict[str, Any]]]] = []  # (class, pattern), as added to the Matcher
        self._subset_matchers: dict[tuple[int, ...], Matcher] = {}  # see _matcher_for
        self._mask_matchers: dict[int, Matcher | None] = {}
        self._first_words: frozenset[int] | None = frozenset()  # words a token pattern can start with
        self._tail: int | None = 0
        make = self._nlp.make_doc
        for name, spec in data["classes"].items():
            texts = {str(p).lower() for p in spec.get("phrases") or []}
            for v in spec.get("verbs") or []:
                texts |= verb_forms(str(v), irregular)
            if texts:
                phrases.add(name, [make(t) for t in sorted(texts)])
            token_patterns = [_token_pattern(p, irregular) for p in spec.get("patterns") or []]
            if token_patterns:
                patterns.add(name, token_patterns)
            self._token_specs += [(name, tp) for tp in token_patterns]
            self._required += [[frozenset(vocab.strings.add(w) for w in slot["LOWER"]["IN"]) for slot in tp
                                if "OP" not in slot and "LOWER" in slot] for tp in token_patterns]
            for tp in token_patterns:
                # how many tokens a match can reach past its last fixed-slot word (None: any number)
                fixed = [i for i, slot in enumerate(tp) if "OP" not in slot and "LOWER" in slot]
                after = tp[fixed[-1] + 1:] if fixed else tp
                if self._tail is not None:
                    self._tail = None if any("OP" in slot for slot in after) else max(self._tail, len(after))
                first = tp[0] if tp else {}
                if self._first_words is None or "OP" in first or "LOWER" not in first:
                    self._first_words = None  # a pattern may start anywhere
                else:
                    self._first_words |= {vocab.strings.add(w) for w in first["LOWER"]["IN"]}
        for label, cls in (data.get("labels") or {}).items():
            if cls not in data["classes"]:
                raise RegistryError(f"triggers.yaml: label {label!r} points to unknown class {cls!r}")
            phrases.add("label:" + cls, [make(label + ":")])
        self._phrases, self._patterns, self._built_for = phrases, patterns, vocab
        # speed: every fixed slot of every token pattern is one bit; a word's bits are the slots it fills, so
        # the words of a text fill a pattern's slots when their bits cover the pattern's mask
        self._slot_bits: dict[int, int] = {}
        self._pattern_masks: list[int] = []
        bit = 1
        for req in self._required:
            full = 0
            for slot in req:
                full |= bit
                for w in slot:
                    self._slot_bits[w] = self._slot_bits.get(w, 0) | bit
                bit <<= 1
            self._pattern_masks.append(full)
        # speed: the same by lower-case text (to test a TokenTable's words), and as a sorted array (to find
        # the tokens holding one with numpy)
        self._slot_text_bits = {vocab.strings[w]: b for w, b in self._slot_bits.items()}
        self._slot_texts = frozenset(self._slot_text_bits)
        self._slot_array = np.array(sorted(self._slot_bits), dtype=np.uint64)
        # a token pattern matches no punctuation token (its gaps exclude it) unless a word of a fixed slot is
        # punctuation; then every match lies inside one stretch between punctuation tokens
        self._punct_free = not any(vocab[w].is_punct for req in self._required for slot in req for w in slot)

    def _may_match(self, tokens) -> bool:
        """Speed: can any token pattern match?  Each needs a word of every fixed slot somewhere in the text;
        few texts have them all, and the spaCy Matcher is the costliest step of trigger finding.  (The words
        are read off the TokenTable, built once per Doc: a token's LOWER is its text lower-cased.)"""
        mask = 0
        for w in self._slot_texts.intersection(map(str.lower, token_table(tokens).texts)):
            mask |= self._slot_text_bits[w]
        return self._fills(mask)

    def _fills(self, mask: int) -> bool:
        """Do the slot bits ``mask`` (see _build) fill every fixed slot of some token pattern?"""
        return any(mask & full == full for full in self._pattern_masks)

    def _matcher_for(self, mask: int) -> Matcher | None:
        """A Matcher holding only the token patterns whose fixed slots the slot bits ``mask`` fill (None: none).

        Speed: the Matcher tests every pattern at every token (a Python predicate call per word list), and a
        stretch can fill the slots of one or two of them.  The same matches in the same order: the Matcher's
        states evolve each on its own and are kept, dropped and appended in order, so leaving out the states
        of patterns that cannot match leaves the others' matches, and their order, as they were.  The
        patterns keep their order and class labels.  Kept per set of patterns (few occur), and looked up per
        ``mask`` (most stretches fill no pattern: one dict look-up tells)."""
        if mask in self._mask_matchers:
            return self._mask_matchers[mask]
        which = tuple(i for i, full in enumerate(self._pattern_masks) if mask & full == full)
        matcher = self._subset_matchers.get(which) if which else None
        if which and matcher is None:
            if len(self._subset_matchers) >= 256:
                self._subset_matchers.clear()
            matcher = self._subset_matchers[which] = Matcher(self._built_for)
            for i in which:
                name, pattern = self._token_specs[i]
                matcher.add(name, [pattern])
        if len(self._mask_matchers) >= 4096:
            self._mask_matchers.clear()
        self._mask_matchers[mask] = matcher
        return matcher

    def _pattern_matches(self, tokens) -> list[tuple[int, int, int]]:
        """The token patterns' matches, as the Matcher finds them over the whole text (same matches, same
        order): the Matcher runs only on the stretches between punctuation tokens that hold a word of every
        fixed slot of some pattern (speed: few stretches do).  See _build for why no match crosses
        punctuation."""
        if not self._punct_free or not all(self._pattern_masks):
            return list(self._patterns(tokens))  # (a pattern with no fixed slot may match in any stretch)
        arr = tokens.to_array([LOWER, IS_PUNCT])
        lower, punct = arr[:, 0], arr[:, 1]
        # speed: only the tokens holding a slot word count (a few per text), found with numpy rather than by
        # a loop over every token; a stretch is told by how many punctuation tokens come before it
        slots = self._slot_array
        if not len(slots):
            return []
        at = np.searchsorted(slots, lower)
        at[at == len(slots)] = 0
        hits = np.flatnonzero((slots[at] == lower) & (punct == 0))
        puncts = np.flatnonzero(punct).tolist()
        n = len(tokens)
        bits = self._slot_bits
        out: list[tuple[int, int, int]] = []
        for k, group in itertools.groupby(zip(hits.tolist(), lower[hits].tolist()),
                                          key=lambda hit: bisect.bisect_right(puncts, hit[0])):
            group = list(group)
            mask = 0
            for _, w in group:
                mask |= bits[w]
            matcher = self._matcher_for(mask)
            if matcher is None:
                continue
            a, b = puncts[k - 1] + 1 if k else 0, puncts[k] if k < len(puncts) else n
            if self._first_words is not None:
                # speed: a match starts at a word a pattern starts with (such words fill a fixed slot, so they
                # are among the hits); the Matcher sees the stretch from the first
                a = next((i for i, w in group if w in self._first_words), b)
            if self._tail is not None:
                # ... and it ends at most _tail tokens after the last hit (a word of a pattern's last fixed slot
                # is one): the Matcher sees the stretch up to there (the same matches, found in the same order)
                b = min(b, group[-1][0] + 1 + self._tail)
            if b > a:
                out += [(mid, s + a, e + a) for mid, s, e in matcher(tokens[a:b])]
        return out

    def find(self, doc: AnalyzedDoc) -> list[Mention]:
        tokens = doc.tokens if doc.tokens is not None else self._nlp.make_doc(doc.article.text)
        if self._built_for is not tokens.vocab:
            self._build(tokens.vocab)
        # speed: token texts and offsets from the TokenTable (built once per Doc), not from Token objects
        table = doc.token_table() if doc.tokens is not None else token_table(tokens)
        texts = table.texts
        strings = tokens.vocab.strings
        raw = [(strings[mid], s, e) for mid, s, e in self._phrases(tokens)]
        if self._may_match(tokens):
            raw += [(strings[mid], s, e) for mid, s, e in self._pattern_matches(tokens)]
        sent_starts = None  # speed: made for the first label found (few texts have one)
        label_priority = int(lexicon().get("label_priority", 95))
        candidates = []
        for name, s, e in raw:
            is_label = name.startswith("label:")
            if is_label:
                name = name[6:]
                if sent_starts is None:
                    sent_starts = {s.start for s in doc.sentences}
                if table.starts[s] not in sent_starts:
                    continue
            if e - s == 1 and texts[s].lower() in _MONTH_LIKE and _is_date_word(tokens, s, e):
                continue
            if not is_label and _rejected(name, texts, s, e):
                continue
            attrs = class_attrs(name)
            if is_label:
                attrs["label"], attrs["priority"] = True, label_priority
            candidates.append((name, s, e, attrs))
        # longest first, then priority; greedy non-overlapping selection
        candidates.sort(key=lambda c: (-(c[2] - c[1]), -c[3]["priority"], c[1]))
        taken: set[int] = set()
        sentence = sentence_finder(doc)
        out: list[Mention] = []
        for name, s, e, attrs in candidates:
            if any(i in taken for i in range(s, e)):
                continue
            taken.update(range(s, e))
            start, end = table.starts[s], table.ends[e - 1]
            out.append(Mention(kind="trigger", start=start, end=end, text=doc.article.text[start:end],
                               sentence=sentence(start), key=name, attrs=attrs))
        out.sort(key=lambda m: m.start)
        return out

"""Attribution: which source claims what, with which stance, in which span.

A reported-speech cue ("said", "according to", "in a statement", ...) with a speaker is a claim.  The speaker
is a registry Source mention ("SOHR", "a military source", "activists"), an actor speaking for itself
("rebels reported", "the Nusra Front posted"), a pronoun or "the group" standing for the last speaker, or a
state outlet referred back to ("a later news bulletin quoted ...").  Rules, per sentence and per cue:

- "X said ..." / "X told ..." : the speaker stands before the cue (an appositive after it is skipped:
  "SOHR, a monitor with activists on the ground, said"); "..., said X" and "posted on the page of X": after it;
- "according to X", "citing X": the speaker follows the cue;
- quotations: a quote ending with ``," X said`` or introduced by ``X said: "`` is the claim's text;
- nested attribution ("SANA quoted a military source"): the outer source is the claimant and the inner one
  is kept in ``via``;
- the claim's span is the reported clause or quote, not the whole sentence;
- stance from the claim's clause and cue: denies ("denied", "false reports") > disputes ("redeployed",
  "tactical withdrawal") > asserts;
- ``what``: the event fields the claim speaks to (occurrence, fatalities, location, actors, territory).

The cue and stance words are data (sitrep/data/attribution.yaml).  Hand-written: no library for English
reported speech gives speaker, cue and clause spans over our own registry mentions (quote attribution models
such as those in BookNLP are trained on fiction and need their own NER).
"""
from __future__ import annotations

import itertools
import operator
import re
from dataclasses import dataclass, field

from sitrep.data import load_yaml
from sitrep.extract.typing import in_sentence, of_kind
from sitrep.model import AnalyzedDoc, Claim, Mention, Sentence
from sitrep.nlp.numbers import case_free, grouped, lowered

_MEDIA_ANAPHOR = re.compile(r"\b(?:later |subsequent |another )?(?:news bulletin|bulletin|the (?:government|state) "
                            r"(?:news|media)(?: report)?|the report|the outlet|the agency|state television|"
                            r"state tv|the broadcaster|the news agency)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|they|it|the group|the militants|the rebels|the movement|the organi[sz]ation|"
                      r"the ministry|the army|the military|the statement|officials|the official)\s*(?:also\s+|later\s+"
                      r"|had\s+|has\s+|have\s+)?$", re.IGNORECASE)
_MODIFIER_AFTER = re.compile(r"^-?(?:linked|affiliated|backed|allied|aligned|led|run|controlled|held|"
                             r"supported|inspired)\b", re.IGNORECASE)
_APPOSITIVE = re.compile(r"^\s*,\s*(?:a|an|the|which|who|whose|its|his|her|one)\b[^,]*(?:,[^,]*)?,\s*(?:also\s+)?$",
                         re.IGNORECASE)
_QUOTE = re.compile(r"[“\"]([^”\"]{3,}?)[”\"]")
_LEAD_IN = re.compile(r"^[\s,:;—–-]*(?:on \w+day\s*)?(?:that\s+|saying\s+(?:that\s+)?)?", re.IGNORECASE)
_TRAILING = re.compile(r"[\s,;:—–-]+$")
# the rest of a sentence after "X said" that only tells when/whom/how: "on Sunday", "told Reuters by phone"
_ATTR_TAIL = re.compile(r"^\s*(?:(?:on|in|by|at|to|via|through|from|late|early|last|this|yesterday|today|"
                        r"tonight|overnight|\w+day)\b[^,;]{0,50})?[\s.!?”\"']*$", re.IGNORECASE)
_FATALITY_WORDS = re.compile(r"\b(kill\w*|dead|death\w*|died|die|bodies|body|toll|lives|casualt\w+|"
                             r"fatalit\w+|slain|perished|executed|massacred)\b", re.IGNORECASE)
_TERRITORY_WORDS = re.compile(r"\b(control\w*|captur\w+|seiz\w+|took|taken|fell|fallen|fall of|overr[au]n|"
                              r"withdr\w+|retreat\w*|redeploy\w*|reposition\w*|recaptur\w+|retook|retaken|"
                              r"liberat\w+|held|hold\w*|lost|loss of|entered|advance\w*|perimeter)\b", re.IGNORECASE)
_CLAUSE_JOIN = re.compile(r"[,;]?\s*(?:\b(?:but|while|whereas|and|although|though)\b\s*)?(?:the\s+|an?\s+)?$",
                          re.IGNORECASE)
_NOUN_BEFORE = re.compile(r"\b(?:the|these|those|such|false|media|news|unconfirmed|of|and|their|its|his|her|"
                          r"initial|earlier|latest|local|conflicting|credible)\s+$", re.IGNORECASE)
_SPEAKER_AFTER_CUES = {"posted", "uploaded", "published", "broadcast", "aired", "tweeted", "said", "says",
                       "reported", "added", "wrote", "claimed", "announced", "stated", "told", "noted"}
_NESTING_CUES = {"quoted", "cited", "citing", "quoting", "quoted by"}
_OUTER_KINDS = ("state media", "news agency", "monitor", "armed group channel")
_START = operator.attrgetter("start")  # a sort key (speed: no Python call per item)
# (compiled once, with the module: asked per cue, claim or speaker)
_QUOTING = re.compile(r"^\W*(?:quoting|citing|,?\s*which (?:quoted|cited))", re.IGNORECASE)
_STOP_OR_THAT = re.compile(r"[.;]|\bthat\b")
_ARTICLE = re.compile(r"(?:the|an?)", re.IGNORECASE)
_COMMA_FIRST = re.compile(r"^\s*,")
_MANY_KILLED = re.compile(r"\b(dozens|scores|hundreds|several|many)\b[^.]{0,40}\bkill", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.IGNORECASE)
# speed: the case-sensitive twins of the IGNORECASE patterns searched in a speaker's or a claim's words, for the
# lower-cased text (see _search); None where a pattern has no twin
_TWIN = {rx: case_free(rx) for rx in (_PRONOUN, _MEDIA_ANAPHOR, _NOUN_BEFORE, _FATALITY_WORDS, _MANY_KILLED,
                                      _TERRITORY_WORDS)}


def _search(rx: re.Pattern, text: str, twin: re.Pattern | None = None) -> re.Match | None:
    """``rx.search(text)``, found with the lower-case twin of ``rx`` (``twin``, else from _TWIN) on the
    lower-cased text when sitrep.nlp.numbers.lowered says the matches stay the same (same offsets; a group
    read from the match is then lower-cased).  Speed: IGNORECASE alternations are several times slower."""
    if twin is None:
        twin = _TWIN.get(rx)
    if twin is not None:
        low = lowered(text)
        if low is not None:
            return twin.search(low)
    return rx.search(text)


@dataclass
class SentenceClaim:
    sentence: int
    claim: Claim
    partisan: bool = False
    speaker: Mention | None = None
    extra: dict = field(default_factory=dict)


def _words_re(words: list[str], flags: int = re.IGNORECASE) -> re.Pattern:
    alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
    # speed: the lookahead on the possible first letters spares trying every alternative at each word start,
    # and the alternatives are grouped by their first letters (same matches, same order)
    firsts = "".join(sorted({re.escape(w[0].lower()) for w in words if w}))
    guard = rf"(?=[{firsts}])" if firsts and all(words) else ""
    return re.compile(r"\b" + guard + r"(?:" + grouped(alts, bool(flags & re.IGNORECASE)) + r")\b", flags)


def _lowered_re(words: list[str]) -> re.Pattern | None:
    """Speed: the case-sensitive twin of ``_words_re(words)`` for lower-cased text (see
    sitrep.nlp.numbers.lowered): the same matches at the same offsets, found several times faster.  None when
    a word is not ASCII (lower-casing it might not keep the case-insensitive matches)."""
    if not all(str(w).isascii() for w in words):
        return None
    return _words_re([str(w).lower() for w in words], 0)


@dataclass
class _Cue:
    start: int  # absolute offsets
    end: int
    word: str
    before: bool  # True: "according to X" (speaker follows)


class Attributor:
    def __init__(self) -> None:
        data = load_yaml("attribution.yaml")
        cues = data["cues"]
        self.after_re = _words_re(cues["after_speaker"])
        self.before_re = _words_re(cues["before_speaker"])
        self.after_low = _lowered_re(cues["after_speaker"])
        self.before_low = _lowered_re(cues["before_speaker"])
        # speed: finds something wherever one of the two finds a cue (most sentences hold none)
        self.any_low = None if self.after_low is None or self.before_low is None else re.compile(
            f"(?:{self.before_low.pattern})|(?:{self.after_low.pattern})")
        self.denies_re = _words_re(data["denies"])
        self.disputes_re = _words_re(data["disputes"])
        self.denies_low = _lowered_re(data["denies"])  # (twins for _search)
        self.disputes_low = _lowered_re(data["disputes"])
        self.partisan_kinds = set(data["partisan_kinds"])

    # ---- public
    def claims(self, doc: AnalyzedDoc) -> list[SentenceClaim]:
        out: list[SentenceClaim] = []
        state = _State()
        # speed: each sentence's last named armed group, from one pass over the document's actors (in mention
        # order, as the sentence's own list has them) instead of a look-up per sentence
        last_group: dict[int, Mention] = {}
        for m in of_kind(doc, "actor"):
            if m.attrs.get("inter") in (2, 3, 4) and not m.attrs.get("generic"):
                last_group[m.sentence] = m
        any_low = self.any_low
        for sent in doc.sentences:
            if sent.repeated:
                continue
            low = lowered(sent.text) if any_low is not None else None
            # speed: a sentence with no cue word has no claim (_cues finds none and the state is left as it is);
            # one search tells, before the quotations and mentions are gathered.  Where it finds one, neither
            # pattern matches earlier, so _cues reads the sentence from there (the same matches)
            hit = any_low.search(low) if low is not None else None
            if low is None or hit is not None:
                for sc in self._sentence_claims(doc, sent, state, low, hit.start() if hit is not None else 0):
                    out.append(sc)
                    sp = sc.speaker
                    if sp is not None:
                        state.last_speaker = sp
                        if sp.kind == "source" and sp.attrs.get("kind") in ("state media", "news agency",
                                                                            "monitor"):
                            state.last_media = sp
            group = last_group.get(sent.index)
            if group is not None:
                state.last_group = group
        return out

    def stance(self, text: str) -> str:
        if _search(self.denies_re, text, self.denies_low):
            return "denies"
        if _search(self.disputes_re, text, self.disputes_low):
            return "disputes"
        return "asserts"

    # ---- one sentence
    def _cues(self, doc: AnalyzedDoc, sent: Sentence, quotes: list[tuple[int, int]], low: str | None,
              first: int = 0) -> list[_Cue]:
        """The sentence's cues; ``low``: its lower-cased copy (see lowered), None to read it as written.
        ``first``: an offset in the sentence before which neither cue pattern matches (read from there; speed)."""
        found: list[_Cue] = []
        for rx, rx_low, before in ((self.before_re, self.before_low, True), (self.after_re, self.after_low, False)):
            # the cue word is read lower-cased either way
            for m in (rx.finditer(sent.text, first) if low is None else rx_low.finditer(low, first)):
                s, e = sent.start + m.start(), sent.start + m.end()
                if any(qs <= s and e <= qe for qs, qe in quotes):
                    continue  # a cue word inside a quotation is the quoted speaker's, not ours
                if any(c.start < e and s < c.end for c in found):
                    continue
                if not before and _search(_NOUN_BEFORE, doc.article.text[max(sent.start, s - 25):s]):
                    continue  # "the reports", "false claims", "a statement": nouns, not reported speech
                found.append(_Cue(s, e, m.group(0).lower(), before))
        return sorted(found, key=_START)

    def _sentence_claims(self, doc: AnalyzedDoc, sent: Sentence, state: _State,
                         low: str | None, first: int = 0) -> list[SentenceClaim]:
        text = doc.article.text
        # speed: most sentences hold no quotation mark
        quotes = [(sent.start + m.start(1), sent.start + m.end(1)) for m in _QUOTE.finditer(sent.text)] \
            if '"' in sent.text or "“" in sent.text else []
        cues = self._cues(doc, sent, quotes, low, first)
        if not cues:
            return []
        speakers = [m for m in in_sentence(doc, sent.index) if m.kind in ("source", "actor")]
        speakers = [m for m in speakers if not _is_modifier(text, m)
                    and not any(qs <= m.start and m.end <= qe for qs, qe in quotes)]
        out: list[SentenceClaim] = []
        used: set[int] = set()
        for i, cue in enumerate(cues):
            prev_end = cues[i - 1].end if i else sent.start
            next_start = cues[i + 1].start if i + 1 < len(cues) else sent.end
            speaker, inner = self._speaker(doc, sent, cue, speakers, prev_end, next_start, state)
            if speaker is None or id(speaker) in used:
                continue
            used.add(id(speaker))
            if inner is not None:
                used.add(id(inner))
            sc = self._claim(doc, sent, cue, speaker, inner, quotes, prev_end, next_start, state)
            if sc is not None:
                sc.extra["attribution"] = min([cue.start] + [m.start for m in (speaker, inner)
                                                             if m is not None and m.start >= sent.start])
                out.append(sc)
                state.in_sentence = True
        state.in_sentence = False
        self._split(doc, sent, out)
        return out

    def _split(self, doc: AnalyzedDoc, sent: Sentence, out: list[SentenceClaim]) -> None:
        """"A said X, but B denied Y": A's clause ends where B's attribution begins."""
        text = doc.article.text
        for cur, nxt in itertools.pairwise(out):
            c = cur.claim
            cut = nxt.extra["attribution"]
            if c.span.start < cut < c.span.end:
                end = cut
                m = _CLAUSE_JOIN.search(text, c.span.start, end)
                if m is not None:
                    end = m.start()
                start, end = _trim(text, c.span.start, end)
                if end > start:
                    c.span = doc.article.span(start, end)
                    if c.cue not in ("denied", "denies"):
                        c.stance = self.stance(c.span.text)
                    c.what = self.what(doc, sent, start, end, cur.speaker)

    def _speaker(self, doc: AnalyzedDoc, sent: Sentence, cue: _Cue, speakers: list[Mention], lo: int, hi: int,
                 state: _State) -> tuple[Mention | None, Mention | None]:
        """(speaker, inner source of a nested attribution)."""
        text = doc.article.text
        after = [s for s in speakers if s.start >= cue.end and s.start - cue.end <= 70 and s.start < hi]
        before = [s for s in speakers if s.end <= cue.start and s.start >= lo]
        if cue.before:
            if not after:
                return None, None
            first = _prefer_source(after[:2], first=True)
            nested = [s for s in after if s.start > first.end and s.start - first.end <= 30
                      and s.kind == "source" and s.attrs.get("kind") in ("unnamed", "official", "witness")]
            if cue.word in ("citing", "quoting") and before:
                return _prefer_source(before, first=False), first
            if nested and first.kind == "source" and first.attrs.get("kind") in _OUTER_KINDS and _QUOTING.match(
                    text[first.end:nested[0].start]):
                return first, nested[0]
            return first, None
        # "SANA quoted a military source", "a news bulletin quoted a military source"
        if cue.word in _NESTING_CUES and after:
            inner = after[0]
            outer = _pick_before(text, before, cue.start)
            if outer is None and _search(_MEDIA_ANAPHOR, text[sent.start:cue.start]) and state.last_media is not None:
                outer = state.last_media
            if outer is not None:
                return outer, inner
            return inner, None
        gap_before = text[lo:cue.start]
        pron = _search(_PRONOUN, text[before[-1].end if before else lo:cue.start])
        if pron is None:
            sp = _pick_before(text, before, cue.start)
            if sp is not None:
                return sp, None
        elif state.in_sentence:
            return None, None  # "what they claimed": the speaker already quoted in this sentence
        if pron is not None:
            word = pron.group(1).lower()
            if word in ("the group", "the militants", "the rebels", "the movement", "the organisation",
                        "the organization") and state.last_group is not None:
                return state.last_group, None
            if state.last_speaker is not None and word in ("he", "she", "it", "they"):
                return state.last_speaker, None
        if cue.word in _SPEAKER_AFTER_CUES and after:
            # "“...,” said Abdulkadir Aden", "posted on the Twitter page of the Nusra Front"
            gap = text[cue.end:after[0].start]
            if len(gap) <= 45 and not _STOP_OR_THAT.search(gap):
                return _prefer_source(after[:2], first=True), None
        if _search(_MEDIA_ANAPHOR, gap_before) and state.last_media is not None:
            return state.last_media, None
        return None, None

    def _claim(self, doc: AnalyzedDoc, sent: Sentence, cue: _Cue, speaker: Mention, inner: Mention | None,
               quotes: list[tuple[int, int]], lo: int, hi: int, state: _State) -> SentenceClaim | None:
        text = doc.article.text
        start, end = self._span(doc, sent, cue, speaker, inner, quotes)
        name, kind = _speaker_name_kind(speaker)
        via = None
        if inner is not None:
            via, _ = _speaker_name_kind(inner, words=True)
        clause = text[start:end]
        stance = "denies" if cue.word in ("denied", "denies") else self.stance(clause)
        if stance == "asserts" and _search(self.denies_re, text[cue.start:min(sent.end, cue.end + 20)],
                                           self.denies_low):
            stance = "denies"
        claim = Claim(source=name, source_kind=kind, stance=stance, span=doc.article.span(start, end),
                      cue=cue.word, what=self.what(doc, sent, start, end, speaker), via=via)
        partisan = kind in self.partisan_kinds or (speaker.kind == "actor" and speaker.attrs.get("inter", 0) not in
                                                   (0, 6, 7))
        return SentenceClaim(sentence=sent.index, claim=claim, partisan=partisan, speaker=speaker,
                             extra={"inner": inner} if inner is not None else {})

    @staticmethod
    def _span(doc: AnalyzedDoc, sent: Sentence, cue: _Cue, speaker: Mention, inner: Mention | None,
              quotes: list[tuple[int, int]]) -> tuple[int, int]:
        """The reported clause or quotation the claim is about."""
        text = doc.article.text
        parts = [m for m in (speaker, inner) if m is not None and sent.start <= m.start < sent.end]
        a0 = min([cue.start] + [m.start for m in parts])
        a1 = max([cue.end] + [m.end for m in parts])
        # a quotation right before or after the attribution is the claim
        for qs, qe in quotes:
            opens = not text[sent.start:qs].strip(" “\"'‘")
            if (opens and 0 <= a0 - qe <= 6) or 0 <= qs - a1 <= 12:
                return _trim(text, qs, qe)
        head = text[sent.start:a0]
        tail = text[a1:sent.end]
        lead = head.strip(" ,“\"")
        if not lead or _ARTICLE.fullmatch(lead) or (len(lead) <= 30 and (_search(_MEDIA_ANAPHOR, lead) or _search(_PRONOUN, lead))):
            # "According to X, CLAUSE" / "X said CLAUSE"
            m = _LEAD_IN.match(tail)
            s = a1 + (m.end() if m else 0)
            if cue.before:
                comma = text.find(",", a1, sent.end)
                if comma != -1 and comma - a1 < 40:
                    s = comma + 1
            return _trim(text, s, sent.end)
        if _ATTR_TAIL.match(tail) or _COMMA_FIRST.match(tail) or cue.before:
            # "CLAUSE, X said." / "CLAUSE, X said, opening ..." / "CLAUSE, according to X"
            return _trim(text, sent.start, a0)
        # "..., but X said CLAUSE"
        m = _LEAD_IN.match(tail)
        return _trim(text, a1 + (m.end() if m else 0), sent.end)

    def what(self, doc: AnalyzedDoc, sent: Sentence, start: int, end: int, speaker: Mention | None) -> list[str]:
        """The event fields a claim speaks to, from the mentions and words of its span."""
        inside = [m for m in in_sentence(doc, sent.index) if start <= m.start and m.end <= end
                  and (speaker is None or not (m.start < speaker.end and speaker.start < m.end))]
        kinds = {m.kind for m in inside}
        clause = doc.article.text[start:end]
        what: list[str] = []
        if "trigger" in kinds:
            what.append("occurrence")
        if "number" in kinds and _search(_FATALITY_WORDS, clause) or _search(_MANY_KILLED, clause):
            what.append("fatalities")
        if "place" in kinds:
            what.append("location")
        if "actor" in kinds:
            what.append("actors")
        if _search(_TERRITORY_WORDS, clause):
            what.append("territory")
        return what or ["occurrence"]


@dataclass
class _State:
    in_sentence: bool = False  # a claim was already found in the current sentence
    last_speaker: Mention | None = None
    last_media: Mention | None = None
    last_group: Mention | None = None


def _is_modifier(text: str, m: Mention) -> bool:
    """"the Al Qaeda-linked Nusra Front": Al Qaeda modifies the name that follows, it is not the speaker."""
    return bool(_MODIFIER_AFTER.match(text[m.end:m.end + 14]))


def _pick_before(text: str, before: list[Mention], cue_start: int) -> Mention | None:
    """The subject of "X said": the nearest mention before the cue, or an earlier head whose appositive
    holds the nearer ones ("SOHR, a monitor with a network of activists, said")."""
    if not before:
        return None
    nearest = before[-1]
    for cand in before[:-1]:
        if _APPOSITIVE.match(text[cand.end:cue_start]):
            return cand
    gap = text[nearest.end:cue_start]
    if len(gap) > 60 and not _APPOSITIVE.match(gap):
        return None
    # a source and an actor over the same words ("the Twitter page of the Nusra Front"): the source
    covering = [b for b in before if b.kind == "source" and b.start <= nearest.start and nearest.end <= b.end]
    return covering[0] if covering else nearest


def _prefer_source(cands: list[Mention], first: bool) -> Mention:
    srcs = [c for c in cands if c.kind == "source"]
    pool = srcs or cands
    return pool[0] if first else pool[-1]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,:;“\"'—–-\n":
        s += 1
    while e > s and text[e - 1] in " ,:;”\"'—–-\n":
        e -= 1
    return s, e


_GENERIC_SOURCE_IDS = {"official", "witness", "unnamed"}


def _speaker_name_kind(m: Mention, words: bool = False) -> tuple[str, str]:
    """The claimant's name and kind; ``words``: generic sources by their own words ("a military source")."""
    if m.kind == "source":
        kind = m.attrs.get("kind") or "unnamed"
        if words and m.key in _GENERIC_SOURCE_IDS:
            return _LEADING_ARTICLE.sub("", m.text.strip()), kind
        return m.attrs.get("name") or m.text, kind
    # an armed group or other actor speaking for itself
    inter = m.attrs.get("inter", 0)
    name = m.attrs.get("name") if not m.attrs.get("generic") else m.text.strip().lower()
    if inter == 1:
        return name or m.text, "official"
    if inter in (2, 3, 4, 8):
        return name or m.text, "armed group channel"
    return name or m.text, "witness"

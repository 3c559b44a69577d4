"""Fatality figures: deaths only, from one sentence; combined per report; reconciled across reports.

Rules (cue words in sitrep/data/fatality_cues.yaml, vague amounts in sitrep/data/vague_numbers.yaml):
- a count is a death figure when a death cue follows it in the same clause ("3 soldiers were killed",
  "2 fatalities") or directly precedes it ("killing 2 militants", "the death toll rose to 9"); a
  non-death cue met first ("2 killed and 5 injured": 5 meets "injured") rules it out; a count that is the
  agent of an active killing ("3 gunmen killed a policeman") is not a death figure.
- counts coordinated before one cue share it ("5-6 policemen and 9-11 militants killed").
- "no casualties", "no one was killed", "neither injuries nor fatalities" -> a figure of 0.
- implicit single deaths ("a man was found dead", "shot and killed a police officer") -> 1.
- ACLED's own coding line ("Fatalities coded as 3") overrides the other figures of the report; "spread
  across N events" divides it.
Why hand-written: no library extracts casualty counts; the patterns are short and data-driven.
"""
from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass

from sitrep.data import load_yaml
from sitrep.extract.typing import in_sentence
from sitrep.model import AnalyzedDoc, Fatalities, Mention, Sentence, Span
from sitrep.nlp.numbers import alternatives, case_free, grouped, lowered

# lower-case only: "IS" (the group) is not the verb
_AUX = re.compile(r"\b(?:was|were|is|are|been|being|be|reportedly|allegedly)\b")
_CLAUSE_END = re.compile(r"[;:.!?()\[\]]|\s(?:but|while|whereas|after|before|when|as|because)\s", re.IGNORECASE)
_COORD_GAP = re.compile(r"^[\w\s'’-]{0,40}?(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+|\s*,\s*)$", re.IGNORECASE)
_PART_BEFORE = re.compile(r"\b(?:including|among them|among the dead|among those killed|of whom|of which)\s*$",
                          re.IGNORECASE)
_PART_AFTER = re.compile(r"^\s+(?:of\s+(?:them|whom|those|the\s+\w+)\b|(?:[\w'-]+\s+){0,3}?(?:were|was)\s+"
                         r"(?:also\s+)?among\s+(?:the\s+)?(?:dead|killed|victims|those\s+killed|fatalities)\b)",
                         re.IGNORECASE)
_ADDITIVE = re.compile(r"\b(?:also|another|further|more|other|others|additional)\b", re.IGNORECASE)
_TOTAL = re.compile(r"\b(?:toll|total|in all|altogether|bringing|overall)\b", re.IGNORECASE)
_WHO = re.compile(r"\b(?:who|that|which)\b(?!\s+(?:were|was|had been|have been)\b)", re.IGNORECASE)
_OBJECT_AFTER = re.compile(r"^\s+(?:a|an|the|his|her|their|its|one|two|three|four|five|six|seven|eight|nine|ten|"
                           r"several|dozens|scores|hundreds|many|at least|more than|some|about|\d|[A-Z])")
_CODED = re.compile(r"\bcoded\s+(?:as|to|at)\s*$", re.IGNORECASE)
_INCLUDING_GAP = re.compile(r"^[\w\s'’-]{0,40}?\b(?:including|among them|among whom)\s+$", re.IGNORECASE)
# a count right after a non-death verb: "injuring three women", "arrested 12"
_NOT_DEATH_BEFORE = re.compile(r"\b(?:injur\w*|wound\w*|hurt|arrest\w*|detain\w*|abduct\w*|kidnapp\w*|captur\w*|"
                               r"rescu\w*|evacuat\w*|releas\w*|displac\w*|freed|freeing)\s+(?:the\s+)?$", re.IGNORECASE)
# deaths told as the cause of, or background to, what is reported ("protest over the killing of 3 students")
_BACKGROUND_BEFORE = re.compile(r"\b(?:retaliation|revenge|response|avenge\w*|protest\w*|condemn\w*|against|over|"
                                r"mourn\w*|commemorat\w*|anniversary|responsible for|accused of|suspected of|"
                                r"convicted of|charged with|wanted for|investigat\w*|justice for)\b[^.;]{0,30}?"
                                r"\b(?:killings?|deaths?|murders?|assassinations?|massacres?|execution)\s+of\s+"
                                r"(?:the\s+)?$",
                                re.IGNORECASE)
# "killed, injured or captured": the deaths cannot be told apart from the rest
_MIXED_AFTER = re.compile(r"^\s*(?:,\s*\w+\s*,?\s*)?(?:or|and/or)\s+(?:injured|wounded|captured|arrested|"
                          r"missing|detained)\b", re.IGNORECASE)
_SPLIT = re.compile(r"\b(?:spread|split|distributed|divided|coded)\s+(?:\w+\s+){0,2}?(?:across|between|among|over)\s+"
                    r"(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+)?"
                    r"(?:events|locations|days|incidents|villages|places|areas|districts)", re.IGNORECASE)
_SPLIT_VERBS = ("spread", "split", "distributed", "divided", "coded")  # the verbs _SPLIT starts with
# (compiled once: asked per sentence or per figure)
_PARENTHESES = re.compile(r"\([^()]{0,120}\)")
_CIRCUMSTANCE_AFTER = re.compile(r"^\s+(?:in|on|at|by|during|when|after|near|and|as|while|overnight)\b", re.IGNORECASE)
_VICTIM_WORDS = re.compile(r"(?:\s+(?!(?:and|in|on|at|by|during|near|after|before|when|while|with|from|who|that|were|"
                           r"was)\b)[\w'’-]+){0,4}")
_VICTIMS_VERB = re.compile(r"(?:^|\s+)(?:were|was|have been|had been|are|is|reportedly|allegedly)\b.*$")
_VICTIMS_JOIN = re.compile(r"(?:\s*,|\s+and|\s+as well as|\s+including|\s+among them)+$")
_HURT_AFTER = re.compile(r"[^.;]{0,40}?\b(?:was|were)\s+(?:wounded|injured|hurt)")
_ALSO_END = re.compile(r"\balso\s+$")
_ALSO = re.compile(r"\balso\b")
_SPLIT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


@dataclass
class FatalityFigure:
    low: int | None
    best: int
    high: int | None
    span: Span
    victims: str = ""
    vague: bool = False
    sentence: int = 0
    implicit: bool = False  # an unnumbered single death ("a man was found dead")
    part: bool = False  # a subset of another figure ("including 2 children")
    additive: bool = False  # told as on top of other figures ("another 3", "also killed")
    total: bool = False  # a running total ("the death toll rose to 9")
    coded: bool = False  # ACLED's own "Fatalities coded as N"
    split: int = 1  # "spread across N events": the report's figure is divided by N
    marker: bool = False  # carries only the split, no figure


@dataclass
class _Cues:
    after: re.Pattern
    before: re.Pattern
    not_death: re.Pattern
    persons: str
    zero: re.Pattern
    implicit_passive: re.Pattern
    implicit_active: re.Pattern
    implicit_body: re.Pattern
    implicit_pair: re.Pattern
    and_one: re.Pattern
    # speed: words one of which every zero statement holds (lower case), None when some has none (see
    # _leading_words)
    zero_words: tuple[str, ...] | None = None


def _leading_words(fragments: list[str]) -> tuple[str, ...] | None:
    """Plain lower-case text one of which every match of the regex fragments ``fragments`` (read with
    IGNORECASE) holds: each fragment's opening literal characters ("no" for ``no(?:body| one) died``), the
    ones holding another left out.  None when a fragment opens with no literal character or holds a top-level
    "|".  Speed: ``any(w in low for w in words)`` on the lower-cased text (see sitrep.nlp.numbers.lowered)
    tells cheaply that the fragments' pattern cannot match."""
    found = []
    for f in fragments:
        if len(alternatives(f)) != 1:
            return None
        lit = re.match(r"[A-Za-z0-9 ,'-]*", f).group(0)
        if lit and f[len(lit):len(lit) + 1] in ("?", "*", "{"):
            lit = lit[:-1]  # a quantifier makes the last character optional
        if not lit.strip():
            return None
        found.append(lit.lower())
    return tuple(sorted({w for w in found if not any(o != w and o in w for o in found)}))


def _holds_any(low: str, words: tuple[str, ...]) -> bool:
    """Does ``low`` hold one of ``words`` (speed: plain substring tests, no regex)?"""
    for w in words:
        if w in low:
            return True
    return False


def _alt(items: list[str]) -> str:
    return grouped(sorted(items, key=len, reverse=True))  # speed: grouped by first letters, same order


def _guard(items: list[str]) -> str:
    """Speed: a lookahead on the letters the regex fragments ``items`` can start with (none when one of them
    may start otherwise), so the engine skips other positions without trying every alternative."""
    if not items or not all(len(i) > 1 and i[0].isalpha() and i[1] not in "?*{|" for i in items):
        return ""
    return "(?=[" + "".join(sorted({i[0].lower() for i in items})) + "])"


@functools.cache
def _cues() -> _Cues:
    c = load_yaml("fatality_cues.yaml")
    persons = _alt([p.replace(" ", r"\s+") for p in c["persons"]])
    person_np = rf"(?:[\w'’-]+\s+){{0,3}}?(?:{persons})\b(?!['’]s\b)(?!-)"
    kill_passive = (r"(?:shot\s+and\s+killed|shot\s+dead|shot\s+and\s+died|(?:\w+\s+and\s+)?\w+\s+to\s+death|"
                    r"shot\s+to\s+death|killed|murdered|found\s+dead|executed|beheaded|lynched|assassinated|slain|"
                    r"decapitated|found\s+lifeless|pronounced\s+dead|fatally\s+\w+)")
    kill_active = (r"(?:shot\s+and\s+killed|shot\s+dead|stabbed\s+to\s+death|beat\s+to\s+death|hacked\s+to\s+death|"
                   r"killed|killing|kills|murdered|murdering|executed|executing|beheaded|lynched|assassinated|"
                   r"assassinating)")
    no_rel = r"(?:(?!\b(?:who|whom|whose|that|which)\b)[^.;:])"
    return _Cues(
        after=re.compile(rf"\b(?:{_alt(c['death_after'])})\b", re.IGNORECASE),
        before=re.compile(rf"\b(?:{_alt(c['death_before'])})\s+(?:the\s+|another\s+|a total of\s+|all\s+(?:the\s+)?)?$",
                          re.IGNORECASE),
        not_death=re.compile(rf"\b(?:{_alt(c['not_death'])})\b", re.IGNORECASE),
        persons=persons,
        zero=re.compile(rf"\b{_guard(c['zero'])}(?:{_alt(c['zero'])})", re.IGNORECASE),
        # the lookaheads name the first letters of the alternatives (speed)
        implicit_passive=re.compile(
            rf"(?=[aot])(?:\b(?:a|an|one|the)\s+{person_np}{no_rel}{{0,60}}?\b(?:was|has\s+been|had\s+been|is)\s+"
            rf"(?:(?:reportedly|allegedly|later|also|then)\s+)?{kill_passive}\b"
            rf"|\b(?:a|an|one|the)\s+{person_np}\s+(?:(?!who\b|that\b)\w+\s+){{0,2}}?died\b)", re.IGNORECASE),
        implicit_active=re.compile(
            rf"(?=[abehklmst])(?:\b{kill_active}\s+(?:(?:a|an|one|the|his|her)\s+){person_np}"
            rf"|\b(?:stabbed|stabbing|beat|beaten|beating|hacked|hacking|shot|shooting|burned|burnt|burning|stoned|"
            rf"stoning|tortured|torturing|strangled|strangling)\s+(?:a|an|one|the|his|her)\s+{person_np}\s+to\s+death)",
            re.IGNORECASE),
        implicit_body=re.compile(
            rf"(?=[abcdrt])(?:\b(?:(?:the|a)\s+)?(?:dead\s+)?(?:body|corpse|remains)\s+of\s+(?:a|an|one|the)\s+"
            rf"{person_np}"
            rf"|\b(?:a|the)\s+(?:dead\s+)?(?:body|corpse)\s+(?:was|has been|had been)\s+(?:\w+\s+)?found\b)",
            re.IGNORECASE),
        implicit_pair=re.compile(rf"\s+and\s+(?:his|her|their|a|an|one|another)\s+{person_np}", re.IGNORECASE),
        and_one=re.compile(rf"\s*,?\s*and\s+(?:a|an|one)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{persons})\b(?!['’]s\b)",
                           re.IGNORECASE),
        zero_words=_leading_words(c["zero"]),
    )


_START = operator.attrgetter("start")


def _numbers(doc: AnalyzedDoc, sentence: Sentence) -> list[Mention]:
    """Number mentions of the sentence (computed here when the nlp stage did not run NumberMatcher)."""
    if doc.__dict__.get("_numbers_matched") or any(m.kind == "number" for m in doc.mentions):
        found = in_sentence(doc, sentence.index, "number")
        return sorted(found, key=_START) if found else []  # (speed: most sentences have none)
    from sitrep.nlp.dates import find_dates
    from sitrep.nlp.numbers import find_numbers

    text = sentence.text
    dates = [(m.start, m.end) for m in find_dates(text)]
    return [Mention("number", sentence.start + s, sentence.start + e, text[s:e], sentence.index, str(a["value"]), a)
            for s, e, a in find_numbers(text, dates)]


def _blank_parentheses(text: str) -> str:
    """Parenthesized asides replaced by spaces (offsets kept): "3 fighters (including a commander) dead"."""
    if "(" not in text:
        return text  # speed: most sentences have none
    return _PARENTHESES.sub(lambda m: " " * len(m.group(0)), text)


def _clause_after(text: str, pos: int, limit: int = 90) -> str:
    window = text[pos:pos + limit]
    m = _CLAUSE_END.search(window)
    return window[:m.start()] if m else window


_TWINS: dict[int, tuple[re.Pattern, re.Pattern | None]] = {}


def twin(rx: re.Pattern) -> re.Pattern | None:
    """``case_free(rx)``, made once per pattern.  Speed: kept by the pattern's id, not by the pattern (hashing a
    compiled pattern hashes its whole code every time); the pattern is held, so its id is not reused."""
    hit = _TWINS.get(id(rx))
    if hit is None or hit[0] is not rx:
        hit = _TWINS[id(rx)] = (rx, case_free(rx))
    return hit[1]


_twin = twin


def _search(rx: re.Pattern, s: str, low: str | None) -> re.Match | None:
    """``rx.search(s)``, run on ``low`` (``s`` lower-cased by sitrep.nlp.numbers.lowered, or None) when the
    pattern has a case-sensitive twin.  Speed only: the match has the same offsets, but its groups are read
    from the lower-cased text, so callers use its offsets or lower-case what they read."""
    if low is not None:
        twin = _twin(rx)
        if twin is not None:
            return twin.search(low)
    return rx.search(s)


def _death_after(text: str, num: Mention, later: list[Mention], base: int,
                 low: str | None = None) -> tuple[bool, int]:
    """Does a death cue follow the number (across coordinated numbers)?  Returns (death, victims end).
    ``low``: ``text`` lower-cased (see _search), or None."""
    cues = _cues()
    pos = num.end - base
    for nxt in later:
        gap = " " + " ".join(text[pos:nxt.start - base].split()) + " "
        if (_COORD_GAP.match(gap) or _INCLUDING_GAP.match(gap)) and not _AUX.search(gap) \
                and not cues.not_death.search(gap) and not cues.after.search(gap):
            pos = nxt.end - base
            continue
        break
    clause = _clause_after(text, pos)
    clause_low = None if low is None else low[pos:pos + len(clause)]
    d = _search(cues.after, clause, clause_low)
    if not d:
        return False, num.end - base  # (speed: the non-death cue is looked for only before a death cue)
    n = _search(cues.not_death, clause, clause_low)
    if n and n.start() < d.start():
        return False, num.end - base
    between = clause[:d.start()]
    if len(between.split()) > 9 or _WHO.search(between) or _MIXED_AFTER.match(clause[d.end():]):
        return False, num.end - base
    # active use: "3 gunmen killed a policeman" -- the number is the killer, not the killed
    cue_word = d.group(0).lower()
    if cue_word in ("killed", "murdered", "executed", "beheaded", "lynched", "assassinated", "shot dead") \
            and not _AUX.search(between) and _OBJECT_AFTER.match(clause[d.end():]) \
            and not _CIRCUMSTANCE_AFTER.match(clause[d.end():]):
        return False, num.end - base
    victims_end = num.end - base + len(between.rstrip())
    return True, victims_end


def _search_match(rx: re.Pattern, text: str, low: str | None, pos: int) -> re.Match | None:
    """``rx.match(text[pos:])``, on the lower-cased copy when there is one (see _search)."""
    if low is not None:
        twin = _twin(rx)
        if twin is not None:
            return twin.match(low[pos:])
    return rx.match(text[pos:])


def _victims_after(text: str, pos: int) -> int:
    """End of the short noun phrase after a number ("2 [Jubaland soldiers] and ...")."""
    m = _VICTIM_WORDS.match(text[pos:])
    return pos + (m.end() if m else 0)


def fatality_figures(doc: AnalyzedDoc, sentence: Sentence) -> list[FatalityFigure]:
    """Death figures stated in one sentence (see the module docstring for the rules).

    Computed once per sentence and document; callers get fresh copies (they tag figures with sources)."""
    cache = doc.__dict__.setdefault("_fatality_figures", {})
    key = (sentence.index, sentence.start, sentence.end)
    figs = cache.get(key)
    if figs is None:
        figs = cache[key] = _fatality_figures(doc, sentence)
    return [_copy(f) for f in figs]


def _copy(f: FatalityFigure) -> FatalityFigure:
    """copy.copy of a figure (speed: without the copy protocol's look-ups)."""
    new = object.__new__(f.__class__)
    new.__dict__.update(f.__dict__)
    return new


def _fatality_figures(doc: AnalyzedDoc, sentence: Sentence) -> list[FatalityFigure]:
    cues = _cues()
    art = doc.article
    base = sentence.start
    text = _blank_parentheses(art.text[sentence.start:sentence.end])
    nums = _numbers(doc, sentence)
    ltext = lowered(text)  # speed: see _search
    # speed: a split line holds one of its verbs; the lower-cased copy tells when none is there
    split_m = _SPLIT.search(text) if ltext is None or _holds_any(ltext, _SPLIT_VERBS) else None
    split = 1
    if split_m:
        n = split_m.group("n").lower()
        split = int(n) if n.isdigit() else _SPLIT_WORDS.get(n, 1)
    figures: list[FatalityFigure] = []
    prev_part_end: int | None = None  # end of the last "including ..." part, for coordinated parts
    for i, num in enumerate(nums):
        if split_m and split_m.start() <= num.start - base < split_m.end():
            continue
        a = num.attrs
        if text[num.start - base].isspace():
            continue  # inside a blanked parenthesis
        before = text[max(0, num.start - base - 80):num.start - base]
        before_low = None if ltext is None else ltext[max(0, num.start - base - 80):num.start - base]
        # speed: "coded" is in what _CODED matches; what _BACKGROUND_BEFORE matches ends with "of" or "the" and
        # spaces (the lower-cased copy keeps the matches, see _search)
        coded = bool(_search(_CODED, before, before_low)) if before_low is None or "coded" in before_low else False
        if not coded and (_search(_NOT_DEATH_BEFORE, before, before_low) or (
                (before_low is None or before_low.rstrip().endswith(("of", "the")))
                and _search(_BACKGROUND_BEFORE, before, before_low))):
            continue
        if coded or _search(cues.before, before, before_low):
            death, vend = True, _victims_after(text, num.end - base)
        else:
            death, vend = _death_after(text, num, nums[i + 1:], base, ltext)
        if not death:
            continue
        best = int(a["value"])
        high = a.get("high")
        if high is None and a.get("vague"):
            high = best  # a vague amount is coded at its table value, no higher bound is stated
        cut = min([vend] + [n.start - base for n in nums[i + 1:] if num.end <= n.start and n.start - base < vend])
        victims = _VICTIMS_VERB.sub("", text[num.end - base:cut].strip())
        victims = _VICTIMS_JOIN.sub("", victims)
        part = bool(_PART_BEFORE.search(before) or _PART_AFTER.match(text[num.end - base:]))
        if not part and prev_part_end is not None:
            gap = " " + " ".join(text[prev_part_end:num.start - base].split()) + " "
            part = bool(_COORD_GAP.match(gap)) and not _AUX.search(gap)
        prev_part_end = (text.index(victims, num.end - base) + len(victims) if victims else num.end - base) \
            if part else None
        low = a.get("low")
        if not part:
            # "killing two health workers and a child": one more victim coordinated after the counted ones
            vstart = text.find(victims, num.end - base) if victims else num.end - base
            rest = text[vstart + len(victims):] if vstart >= 0 else ""
            m1 = cues.and_one.match(rest)
            counted = m1 is not None and any(
                base + vstart + len(victims) <= n.start < base + vstart + len(victims) + m1.end() for n in nums)
            if m1 and not counted and not _HURT_AFTER.match(rest):
                best += 1
                high = high + 1 if high is not None else None
                low = low + 1 if low is not None else None
        figures.append(FatalityFigure(
            low=low, best=best, high=high,
            span=art.span(num.start, num.end + len(victims) + (1 if victims else 0)), victims=victims,
            vague=bool(a.get("vague")), sentence=sentence.index, part=part,
            additive=bool(a.get("qualifier") in ("another", "a further") or _ADDITIVE.search(victims)
                          or _ALSO_END.search(before)
                          or _ALSO.search(text[num.end - base:vend + 30])),
            total=bool(_TOTAL.search(before[-40:])), coded=coded, split=split))
    if split > 1 and not figures:
        # "Fatalities coded across 2 events": a marker telling combine_figures to divide
        figures.append(FatalityFigure(None, 0, None, art.span(base + split_m.start(), base + split_m.end()),
                                      "", False, sentence.index, split=split, marker=True))
    # zero statements (speed: none where the lower-cased copy holds none of their words)
    zero = _twin(cues.zero) if ltext is not None else None
    if zero is not None and cues.zero_words is not None and not _holds_any(ltext, cues.zero_words):
        zero_found = ()
    else:
        zero_found = cues.zero.finditer(text) if zero is None else zero.finditer(ltext)
    for m in zero_found:  # offsets only
        figures.append(FatalityFigure(0, 0, 0, art.span(base + m.start(), base + m.end()), "", False,
                                      sentence.index))
    # implicit single deaths, when no counted figure covers the same words
    if not figures or not any(f.best > 0 for f in figures):  # (speed: most sentences have none)
        figures.extend(_implicit(text, nums, art, base, sentence.index, ltext))
    return figures


# Speed: every implicit-death pattern below holds one of these words (a death verb or noun, or a body); a
# sentence without any of them is not searched with the three long patterns.
_IMPLICIT_WORDS = re.compile(r"kill|murder|dead|death|died|execut|behead|lynch|assassin|slain|decapitat|lifeless|"
                             r"fatally|body|corpse|remains", re.IGNORECASE)
# speed: the same words for plain substring tests on the lower-cased text (the pattern is a bare alternation)
_IMPLICIT_STEMS = tuple(_IMPLICIT_WORDS.pattern.split("|"))


def _implicit(text: str, nums: list[Mention], art, base: int, index: int,
              low: str | None = None) -> list[FatalityFigure]:
    """Unnumbered deaths: one per distinct victim phrase ("A woman died and the man died" -> 2).
    ``low``: ``text`` lower-cased (see _search), or None."""
    if not (_IMPLICIT_WORDS.search(text) if low is None else _holds_any(low, _IMPLICIT_STEMS)):
        return []
    cues = _cues()
    for pat in (cues.implicit_passive, cues.implicit_active, cues.implicit_body):
        out = []
        twin = _twin(pat) if low is not None else None
        for m in (pat.finditer(text) if twin is None else twin.finditer(low)):
            if any(base + m.start() <= n.start < base + m.end() for n in nums):
                continue
            k = 2 if _search_match(cues.implicit_pair, text, low, m.end()) else 1
            # the victim phrase as written (the match may be on the lower-cased copy)
            out.append(FatalityFigure(k, k, k, art.span(base + m.start(), base + m.end()),
                                      text[m.start():m.end()], False, index, implicit=True))
        if out:
            return out
    return []


def _sentence_sum(figs: list[FatalityFigure]) -> tuple[int, int, int | None]:
    figs = [f for f in figs if not f.marker]
    whole = [f for f in figs if not f.part] or figs
    seen: set = set()
    best = low = 0
    high: int | None = 0
    for f in whole:
        key = (f.best, f.low, f.high, f.victims.lower())
        if key in seen:
            continue
        seen.add(key)
        best += f.best
        low += f.low if f.low is not None else f.best
        high = None if high is None or f.high is None else high + f.high
    return best, low, high


def combine_figures(figures: list[FatalityFigure]) -> Fatalities:
    """One report's fatalities from its figures.

    ACLED's own coding line ("Fatalities coded as 3") wins when present.  Otherwise, within a sentence,
    figures about different victims add up ("5-6 policemen and 9-11 militants killed" -> 14, low 14,
    high 17) and parts ("including 2 children") are not added.  Across sentences, a sentence told as
    additional ("another 3 died", "were also killed") adds to the sentences before it; otherwise a later
    sentence restates or totals ("The dead included 2 soldiers", "3 fatalities"), so the largest such
    block counts.  The same figure repeated counts once.  "spread across N events" divides the result
    (floor).  known is True when any figure (a zero included) was found.
    """
    real = [f for f in figures if not f.marker]
    if not real:
        return Fatalities()
    spans = [f.span for f in real]
    split = max((f.split for f in figures), default=1)
    coded = [f for f in real if f.coded]
    if coded:
        best = coded[0].best // max(1, split)
        return Fatalities(best=best, low=best, high=best, known=True, spans=[coded[0].span])
    by_sentence: dict[int, list[FatalityFigure]] = {}
    for f in real:
        by_sentence.setdefault(f.sentence, []).append(f)
    blocks: list[list[int | None]] = []  # [best, low, high]
    for idx in sorted(by_sentence):
        figs = by_sentence[idx]
        best, low, high = _sentence_sum(figs)
        counted = [f for f in figs if f.best > 0]
        if blocks and counted and all(f.additive for f in counted):
            blk = blocks[-1]
            blk[0] += best
            blk[1] += low
            blk[2] = None if blk[2] is None or high is None else blk[2] + high
        else:
            blocks.append([best, low, high])
    best, low, high = max(blocks, key=lambda b: b[0])
    if split > 1:
        best, low = best // split, low // split
        high = None if high is None else high // split
    vague = all(f.vague for f in real if f.best > 0) and any(f.best > 0 for f in real)
    return Fatalities(best=best, low=low, high=high, known=True, spans=spans, vague=vague)


def reconcile(fatalities: list[Fatalities]) -> Fatalities:
    """Contradicting accounts of one event: the lowest figure as best, the range in low/high (DESIGN.md)."""
    known = [f for f in fatalities if f.known]
    if not known:
        return Fatalities()
    precise = [f for f in known if not f.vague]
    if precise:
        # "kills dozens" beside "killed at least 53": the vague amount is a floor the precise one meets, not a
        # lower count; it still widens the range when it says more
        floor = min(f.best for f in precise)
        known = precise + [f for f in known if f.vague and f.best > floor]
    best = min(f.best for f in known)
    low = min(f.low if f.low is not None else f.best for f in known)
    highs = [f.high if f.high is not None else f.best for f in known]
    spans = [s for f in known for s in f.spans]
    return Fatalities(best=best, low=low, high=max(highs), known=True, spans=spans)


def warm_caches() -> None:
    """Load the cue registry and make the lower-case twins of its patterns (the pipeline calls this when it
    loads)."""
    c = _cues()
    for rx in (_CODED, _NOT_DEATH_BEFORE, _BACKGROUND_BEFORE, _IMPLICIT_WORDS, c.before, c.after, c.not_death,
               c.zero, c.implicit_passive, c.implicit_active, c.implicit_body, c.implicit_pair):
        twin(rx)

"""Event typing: which ACLED event type / sub-event type a sentence's trigger stands for, and its modality.

``classify_sentence(doc, sentence) -> list[TypedTrigger]``.  The lexicon (trigger classes, their default
types, priorities and ordered context overrides) is data in sitrep/data/triggers.yaml; the modality cues
are in sitrep/data/modality.yaml.  This module implements the named context conditions the overrides use
(CONDITIONS) and the modality scan.  Hand-written because the blank spaCy pipeline has no parser: roles
(agent / target) are approximated by word order and passive markers, which holds well for news prose.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from sitrep.data import load_yaml
from sitrep.model import AnalyzedDoc, Mention, Sentence

MODALITIES = ("asserted", "negated", "hypothetical", "future", "background", "not_event")
ARMED = {1, 2, 3, 4, 8}
NONSTATE = {2, 3, 4}
_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]")
_CLAUSE_BREAK = {";", ":", "but", "while", "whereas", "although", "however"}
_PASSIVE_AUX = {"was", "were", "been", "being", "is", "are", "be", "got", "get", "gets"}
_ADVERBS = {"reportedly", "allegedly", "also", "later", "then", "reported", "all", "both", "subsequently",
            "fatally", "seriously", "critically", "brutally", "shot", "and", "allegedly", "apparently"}
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


@dataclass
class _Tok:
    start: int
    end: int
    low: str


@dataclass
class _Actor:
    start: int
    end: int
    text: str
    inter: int
    mob: bool = False


@dataclass
class _Ctx:
    """Everything the conditions need about one sentence (or clause) and one trigger in it."""

    doc: AnalyzedDoc
    toks: list[_Tok]
    text: str  # lower-cased clause text with single spaces between tokens
    actors: list[_Actor]
    trigger: Mention
    ti: int  # index of the trigger's first token
    tj: int  # index after the trigger's last token
    classes: set[str]
    passive: bool = False
    agents: list[_Actor] = field(default_factory=list)
    targets: list[_Actor] = field(default_factory=list)


# ------------------------------------------------------------------------------------------ registries
@functools.cache
def _lex() -> dict[str, Any]:
    return load_yaml("triggers.yaml")


@functools.cache
def _mod() -> dict[str, Any]:
    return load_yaml("modality.yaml")


def _words(key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in _lex().get(key) or [])


@functools.cache
def _actor_words() -> dict[str, int]:
    out: dict[str, int] = {}
    for inter, words in (_lex().get("actor_words") or {}).items():
        for w in words:
            out.setdefault(str(w).lower(), int(inter))
    return out


# ------------------------------------------------------------------------------------------ tokens
def _tokens(doc: AnalyzedDoc, start: int, end: int) -> list[_Tok]:
    if doc.tokens is not None:
        return [_Tok(t.idx, t.idx + len(t.text), t.lower_) for t in doc.tokens
                if t.idx >= start and t.idx + len(t.text) <= end and not t.is_space]
    text = doc.article.text
    return [_Tok(m.start() + start, m.end() + start, m.group().lower())
            for m in _TOKEN.finditer(text[start:end])]


def _find_seq(toks: list[_Tok], phrase: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Token indexes where the lower-cased word sequence ``phrase`` starts, within [lo, hi)."""
    words = phrase.lower().split()
    hi = len(toks) if hi is None else hi
    n = len(words)
    return [i for i in range(max(lo, 0), hi - n + 1) if all(toks[i + k].low == words[k] for k in range(n))]


def _has_any(toks: list[_Tok], phrases, lo: int = 0, hi: int | None = None) -> str | None:
    for p in phrases:
        if _find_seq(toks, p, lo, hi):
            return p
    return None


def _tok_index(toks: list[_Tok], char: int) -> int:
    for i, t in enumerate(toks):
        if t.end > char:
            return i
    return len(toks)


# ------------------------------------------------------------------------------------------ actors
def _actors(doc: AnalyzedDoc, sentence: Sentence, toks: list[_Tok]) -> list[_Actor]:
    found: list[_Actor] = []
    for m in doc.in_sentence(sentence.index, "actor"):
        inter = int(m.attrs.get("inter", 0) or 0)
        found.append(_Actor(m.start, m.end, m.text, inter))
    covered = [(a.start, a.end) for a in found]
    words = _actor_words()
    mob = _words("mob_agents")
    longest = max((len(w.split()) for w in words), default=1)
    i = 0
    while i < len(toks):
        hit = None
        for n in range(min(longest, len(toks) - i), 0, -1):
            phrase = " ".join(t.low for t in toks[i:i + n])
            if phrase in words:
                hit = (n, phrase)
                break
        if hit:
            n, phrase = hit
            s, e = toks[i].start, toks[i + n - 1].end
            if not any(cs < e and s < ce for cs, ce in covered):
                found.append(_Actor(s, e, phrase, words[phrase], phrase in mob))
            i += n
        else:
            i += 1
    for a in found:
        a.mob = a.mob or a.text.lower() in mob or a.text.lower().split()[-1:] == ["mob"]
    found.sort(key=lambda a: a.start)
    return found


def _roles(ctx: _Ctx) -> None:
    toks, ti, tj = ctx.toks, ctx.ti, ctx.tj
    j = ti - 1
    while j >= 0 and toks[j].low in _ADVERBS:
        j -= 1
    ctx.passive = j >= 0 and toks[j].low in _PASSIVE_AUX
    trig_s, trig_e = ctx.trigger.start, ctx.trigger.end
    before = [a for a in ctx.actors if a.end <= trig_s]
    after = [a for a in ctx.actors if a.start >= trig_e]
    by_i = next((i for i in range(tj, min(tj + 8, len(toks))) if toks[i].low in {"by", "to"}), None)
    by_actors = [a for a in after if by_i is not None and a.start >= toks[by_i].start][:1]
    if ctx.passive or (by_actors and toks[by_i].low == "by"):
        ctx.agents = by_actors
        ctx.targets = before[-1:] if ctx.passive else after[:1]
        if not ctx.passive:
            ctx.targets = [a for a in after if a not in by_actors][:1]
    else:
        ctx.agents = before[-1:]
        ctx.targets = [a for a in after if a.start - trig_e < 120][:1]


# ------------------------------------------------------------------------------------------ conditions
def _protest_context(ctx: _Ctx) -> bool:
    return "protest" in ctx.classes or any(a.inter in (5, 6) for a in ctx.actors) or bool(
        _has_any(ctx.toks, _words("protest_words")))


def _lethal(ctx: _Ctx) -> bool:
    return bool(_has_any(ctx.toks, _words("lethal_words")))


def _armed_objects_after(ctx: _Ctx) -> bool:
    return bool(_has_any(ctx.toks, _words("armed_objects"), ctx.tj, min(len(ctx.toks), ctx.tj + 10)))


def _target_armed(ctx: _Ctx) -> bool:
    if ctx.targets:
        return ctx.targets[0].inter in ARMED
    return (not ctx.passive) and _armed_objects_after(ctx)


def _target_armed_only(ctx: _Ctx) -> bool:
    return bool(ctx.targets) and all(a.inter in ARMED for a in ctx.targets)


def _mob_agent(ctx: _Ctx) -> bool:
    if any(a.inter in ARMED for a in ctx.agents):
        return False
    if any(a.mob or a.inter == 5 for a in ctx.agents):
        return True
    victims = _has_any(ctx.toks, _words("mob_victims"))
    return bool(victims) and not any(a.inter in ARMED - {1} for a in ctx.actors)


def _rioter_agent(ctx: _Ctx) -> bool:
    return any(a.inter in (5, 6) and not a.mob for a in ctx.agents)


def _mob_context(ctx: _Ctx) -> bool:
    if any(a.inter in ARMED for a in ctx.actors):
        return False
    return "mob" in ctx.classes or any(a.mob or a.inter == 5 for a in ctx.actors)


def _agent_inter(ctx: _Ctx) -> int | None:
    if ctx.agents:
        return ctx.agents[0].inter
    inters = {a.inter for a in ctx.actors if a.inter in ARMED}
    return next(iter(inters)) if len(inters) == 1 else None


def _fighting(ctx: _Ctx) -> bool:
    fighting = _words("fighting_words") - {"captured", "overran"}
    return bool(_has_any(ctx.toks, fighting)) or bool(ctx.classes & {"clash", "airstrike", "shelling", "kill"})


CONDITIONS: dict[str, Callable[[_Ctx], bool]] = {
    "protest_context": lambda c: _protest_context(c) and not _grievance(c),
    "no_protest_context": lambda c: not (_protest_context(c) or _has_any(
        c.toks, ["crowd", "crowds", "gathering", "gathered", "procession", "mourners", "assembly"])),
    "protest_deaths": lambda c: _lethal(c),
    "protest_context_force": lambda c: _protest_context(c) and not _grievance(c),
    "target_protesters_lethal": lambda c: _protest_context(c) and not _grievance(c) and _lethal(c)
    and not any(a.inter in (5, 6) for a in c.agents),
    "target_armed": _target_armed,
    "target_armed_only": _target_armed_only,
    "mob_agent": _mob_agent,
    "mob_agent_no_protest": lambda c: _mob_agent(c) and "protest" not in c.classes,
    "rioter_agent": _rioter_agent,
    "mob_context": _mob_context,
    "agent_state": lambda c: _agent_inter(c) == 1,
    "agent_nonstate": lambda c: _agent_inter(c) in NONSTATE,
    "fighting_words": _fighting,
    "no_fighting_words_and_withdrawal": lambda c: not _fighting(c) and bool(_has_any(c.toks, _words("withdraw_words"))),
    "not_protest_strike": lambda c: c.trigger.text.lower() in {"strike", "strikes"} and bool(
        _has_any(c.toks, _words("not_protest_strike"), max(0, c.ti - 3), min(len(c.toks), c.tj + 3))),
    "foiled_generic_attack": lambda c: c.trigger.text.lower() in {"foiled", "thwarted", "repelled", "repulsed"}
    and bool(_has_any(c.toks, ["attack", "offensive", "infiltration", "assault", "advance"], c.tj, c.tj + 4))
    and not _has_any(c.toks, ["bomb", "explosive", "explosives", "ied", "drone", "missile", "plot", "suicide",
                              "weapons", "car"], c.tj, c.tj + 6),
}


def _grievance(ctx: _Ctx) -> bool:
    """The trigger names what a protest in the same sentence is about (an earlier event)."""
    if ctx.trigger.key == "protest":
        return False
    g = _mod().get("grievance") or {}
    protest_before = any(
        t.low in _words("protest_words") or t.low.startswith("protest") or t.low.startswith("demonstrat")
        for t in ctx.toks[:ctx.ti])
    if not protest_before:
        return False
    lo = max(0, ctx.ti - int(g.get("window", 6)))
    return bool(_has_any(ctx.toks, g.get("before") or [], lo, ctx.ti))


def _apply_overrides(ctx: _Ctx) -> tuple[str, str, int, list[str]]:
    attrs = ctx.trigger.attrs
    etype, sub, prio = attrs["event_type"], attrs["sub_event_type"], int(attrs["priority"])
    if attrs.get("label"):
        return etype, sub, prio, ["label:" + ctx.trigger.text]
    spec = _lex()["classes"].get(ctx.trigger.key, {})
    for rule in spec.get("overrides") or []:
        cond = CONDITIONS.get(rule["when"])
        if cond is None:
            raise KeyError(f"triggers.yaml: unknown condition {rule['when']!r}")
        if cond(ctx):
            return rule.get("type", ""), rule.get("sub", ""), int(rule.get("priority", prio)), [rule["when"]]
    return etype, sub, prio, []


# ------------------------------------------------------------------------------------------ modality
def _clause_bounds(toks: list[_Tok], ti: int) -> tuple[int, int]:
    lo = ti
    while lo > 0 and toks[lo - 1].low not in _CLAUSE_BREAK:
        lo -= 1
    hi = ti
    while hi < len(toks) and toks[hi].low not in _CLAUSE_BREAK:
        hi += 1
    return lo, hi


def _cue_before(toks: list[_Tok], cues, lo: int, ti: int, window: int, skip_after: dict[str, frozenset]) -> str | None:
    start = max(lo, ti - window)
    for cue in cues:
        for i in _find_seq(toks, str(cue), start, ti):
            nxt = i + len(str(cue).split())
            follow = toks[nxt].low if nxt < len(toks) else ""
            if follow in skip_after.get(str(cue), frozenset()):
                continue
            return str(cue)
    return None


def _year_background(toks: list[_Tok], lo: int, hi: int, published: dt.date | None, preps) -> str | None:
    for i in range(lo, hi - 1):
        if toks[i].low in preps and re.fullmatch(r"(19|20)\d\d", toks[i + 1].low):
            year = int(toks[i + 1].low)
            if toks[i].low == "since" or (published is not None and year < published.year):
                return f"{toks[i].low} {year}"
    return None


def modality_of(ctx: _Ctx) -> tuple[str, list[str]]:
    mod = _mod()
    toks, ti = ctx.toks, ctx.ti
    lo, hi = _clause_bounds(toks, ti)
    window = int(mod.get("window", 8))
    neg = mod.get("negated") or {}
    skip = {"no": frozenset(neg.get("not_after_no") or []), "not": frozenset(neg.get("not_after_not") or [])}
    if _grievance(ctx):
        return "background", ["grievance"]
    for name in mod.get("order") or []:
        spec = mod.get(name) or {}
        cue = _cue_before(toks, spec.get("before") or [], lo, ti, window, skip if name == "negated" else {})
        if cue is None and spec.get("anywhere"):
            cue = _has_any(toks, spec["anywhere"], lo, hi)
        if cue is None and spec.get("adjacent"):
            cue = _cue_before(toks, spec["adjacent"], lo, ti, int(spec.get("adjacent_window", 3)), {})
        if cue is None and spec.get("year_prepositions"):
            cue = _year_background(toks, lo, hi, ctx.doc.article.published, set(spec["year_prepositions"]))
        if cue is not None:
            return name, [cue]
    return "asserted", []


# ------------------------------------------------------------------------------------------ main
def _segments(toks: list[_Tok]) -> list[tuple[int, int]]:
    """Split a sentence at cues that introduce a clearly separate event ("; separately, ...")."""
    cuts = []
    for cue in _lex().get("separate_event_cues") or []:
        for i in _find_seq(toks, str(cue)):
            if i > 0:
                cuts.append(i)
    bounds, prev = [], 0
    for c in sorted(set(cuts)):
        bounds.append((prev, c))
        prev = c
    bounds.append((prev, len(toks)))
    return [b for b in bounds if b[1] > b[0]]


def _score(weight: float, modality: str, has_actor: bool, is_label: bool) -> float:
    s = weight * _MODALITY_FACTOR.get(modality, 0.5)
    s += 0.05 if has_actor else 0.0
    s += 0.1 if is_label else 0.0
    return round(max(0.0, min(1.0, s)), 3)


def _typed(doc: AnalyzedDoc, toks: list[_Tok], actors: list[_Actor], trig: Mention,
           classes: set[str]) -> tuple[int, TypedTrigger] | None:
    ti = _tok_index(toks, trig.start)
    tj = max(ti + 1, _tok_index(toks, trig.end - 1) + 1)
    ctx = _Ctx(doc, toks, " ".join(t.low for t in toks), actors, trig, ti, tj, classes)
    _roles(ctx)
    etype, sub, prio, cues = _apply_overrides(ctx)
    if not etype or not sub:
        return None
    modality, mcues = modality_of(ctx)
    if ctx.trigger.attrs.get("label"):
        modality, mcues = "asserted", []
    score = _score(float(trig.attrs.get("weight", 0.5)), modality, bool(ctx.agents or ctx.targets),
                   bool(trig.attrs.get("label")))
    return prio, TypedTrigger(trig, etype, sub, score, modality, [trig.text.lower()] + cues + mcues)


def classify_sentence(doc: AnalyzedDoc, sentence: Sentence) -> list[TypedTrigger]:
    """Typed events of one sentence: usually one; several only for clearly separate events.

    The highest-priority trigger of each segment decides; when it is not asserted, the best asserted
    trigger of a different sub-event type is kept as well.  At most one result per sub-event type.
    """
    triggers = [m for m in doc.in_sentence(sentence.index, "trigger")]
    if not triggers:
        return []
    toks = _tokens(doc, sentence.start, sentence.end)
    if not toks:
        return []
    actors = _actors(doc, sentence, toks)
    out: list[TypedTrigger] = []
    seen: set[str] = set()
    for lo, hi in _segments(toks):
        s_char, e_char = toks[lo].start, toks[hi - 1].end
        seg_trigs = [t for t in triggers if s_char <= t.start < e_char]
        classes = {t.key for t in seg_trigs}
        ranked = []
        for t in seg_trigs:
            typed = _typed(doc, toks, actors, t, classes)
            if typed is not None:
                ranked.append(typed)
        ranked.sort(key=lambda pt: (-pt[0], -pt[1].score, pt[1].trigger.start))
        if not ranked:
            continue
        best = ranked[0][1]
        picks = [best]
        if best.modality != "asserted":
            alt = next((t for _, t in ranked[1:] if t.modality == "asserted"
                        and t.sub_event_type != best.sub_event_type), None)
            if alt is not None:
                picks.append(alt)
        for p in picks:
            if p.sub_event_type not in seen:
                seen.add(p.sub_event_type)
                out.append(p)
    return out


def classify_doc(doc: AnalyzedDoc) -> list[tuple[Sentence, TypedTrigger]]:
    """Every sentence's typed triggers, in text order (repeated paragraphs skipped)."""
    return [(s, t) for s in doc.sentences if not s.repeated for t in classify_sentence(doc, s)]

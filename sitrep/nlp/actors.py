"""Actor and source mentions from the registries (sitrep/data/actors.yaml, sources.yaml, generic_actors.yaml).

CONTRACT: ActorMatcher().find(doc: AnalyzedDoc) -> list[Mention]
  kind="actor": key = registry actor id, or "generic:<class>" (military, police, gunmen, rebels,
                civilians, protesters, rioters, ...); attrs: {"inter": int, "name": str, "country": str|None,
                "generic": bool, ...}; "candidates" lists [[id, country]] when one phrase names different
                actors in different countries ("SNA", "military police") -- the resolver picks by country.
  kind="source": key = source id (or "channel:<actor id>" for an armed group's own channel);
                attrs: {"kind": source kind, "name": canonical name}

Matching uses spaCy's PhraseMatcher (lower-case for names, exact case for acronyms), built once per
vocabulary and cached.  The registry reading and ACLED naming helpers live here so that the resolver
(a later stage) reuses them.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sitrep.data import load_yaml
from sitrep.errors import RegistryError
from sitrep.model import AnalyzedDoc, Mention, TokenTable, token_table
from sitrep.nlp import sentence_index
from sitrep.nlp.numbers import sentence_finder

STATE_PREFIX = {"military": "Military Forces of", "police": "Police Forces of", "government": "Government of"}
_ACRONYM = re.compile(r"^[A-Z0-9&./\-']{2,8}$")
_QUALIFIED = re.compile(r"^(.*\S)\s+\(([^()]+)\)$")
_CHANNEL_NOUNS = {"twitter", "telegram", "channel", "channels", "page", "account", "website", "site", "media",
                  "outlet", "outlets", "wing", "agency", "facebook", "x", "feed", "newsletter", "broadcaster",
                  "radio", "tv", "television", "mouthpiece", "propaganda"}
_CHANNEL_LEAD = {"official", "its", "the", "an", "a", "own"}  # words before a channel noun that belong to it
_POLICE_WORDS = re.compile(r"\bpolice|\bpolicem[ae]n\b|\bconstables?\b", re.IGNORECASE)
_MILITARY_WORDS = re.compile(r"\b(?:army|soldiers?|troops|military)\b", re.IGNORECASE)


# ------------------------------------------------------------------------------------------ registry
@dataclass(frozen=True)
class ActorEntry:
    id: str
    inter: int
    name: str | None = None  # None for state forces (built from countries.yaml)
    state: str | None = None  # military | police | government
    unit: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    names_by_country: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    relations: tuple[tuple[str, str, int | None, int | None], ...] = ()  # (type, target, from, to)
    valid_from: int | None = None
    valid_to: int | None = None
    successor: str | None = None
    # the countries an expeditionary force (Operation Barkhane) or a cross-border group (JNIM) fights in
    operates_in: tuple[str, ...] = ()

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.valid_from is None or year >= self.valid_from) and (self.valid_to is None or year <= self.valid_to)


def _entry(raw: dict[str, Any]) -> ActorEntry:
    if "id" not in raw or ("name" not in raw and "state" not in raw):
        raise RegistryError(f"actors.yaml: entry needs id and name or state: {raw}")
    if raw.get("state") and raw["state"] not in STATE_PREFIX:
        raise RegistryError(f"actors.yaml: {raw['id']}: unknown state kind {raw['state']!r}")
    rels = []
    for rel in raw.get("relations") or []:
        kinds = [k for k in ("member_of", "allied_with", "affiliate_of") if k in rel]
        if len(kinds) != 1:
            raise RegistryError(f"actors.yaml: {raw['id']}: bad relation {rel}")
        rels.append((kinds[0], rel[kinds[0]], rel.get("from"), rel.get("to")))
    valid = raw.get("valid") or {}
    return ActorEntry(
        id=raw["id"], inter=int(raw.get("inter", 1 if raw.get("state") else 0)), name=raw.get("name"),
        state=raw.get("state"), unit=raw.get("unit"), country=raw.get("country"),
        aliases=tuple(str(a) for a in raw.get("aliases") or []),
        names_by_country=dict(raw.get("names_by_country") or {}), relations=tuple(rels),
        valid_from=valid.get("from"), valid_to=valid.get("to"), successor=raw.get("successor"),
        operates_in=tuple(str(c) for c in raw.get("operates_in") or ()),
    )


class Registry:
    """actors.yaml + countries.yaml + generic_actors.yaml + sources.yaml, loaded once (see registry())."""

    def __init__(self) -> None:
        self.actors: dict[str, ActorEntry] = {}
        for raw in load_yaml("actors.yaml")["actors"]:
            e = _entry(raw)
            if e.id in self.actors:
                raise RegistryError(f"actors.yaml: duplicate id {e.id}")
            self.actors[e.id] = e
        for e in self.actors.values():
            for target in [r[1] for r in e.relations] + ([e.successor] if e.successor else []):
                if target not in self.actors:
                    raise RegistryError(f"actors.yaml: {e.id} refers to unknown actor {target}")
        self.countries: dict[str, dict[str, Any]] = load_yaml("countries.yaml")
        generic = load_yaml("generic_actors.yaml")
        self.classes: dict[str, dict[str, Any]] = generic["classes"]
        self.ethnic: dict[str, Any] = generic.get("ethnic") or {}
        self.sources: dict[str, dict[str, Any]] = {s["id"]: s for s in load_yaml("sources.yaml")["sources"]}
        # any spelling of a country (name, demonym, ISO2) -> ISO2
        self.country_lookup: dict[str, str] = {}
        for cc, info in self.countries.items():
            for form in [cc, info["name"], *info.get("demonyms", [])]:
                self.country_lookup.setdefault(form.lower(), cc)

    # ---- ACLED naming
    def country_name(self, cc: str | None) -> str | None:
        if not cc:
            return None
        info = self.countries.get(cc.upper())
        return info["name"] if info else cc

    def state_suffix(self, cc: str, year: int | None = None) -> str:
        periods = (self.countries.get(cc) or {}).get("periods") or []
        if not periods:
            return ""
        chosen = periods[-1]
        if year is not None:
            for p in periods:
                lo, _, hi = p.partition("-")
                if int(lo) <= year and (not hi or year < int(hi) or (year == int(hi) and p == periods[-1])):
                    chosen = p
                    break
            else:
                if year < int(periods[0].partition("-")[0]):
                    chosen = periods[0]
        return f"({chosen})"

    def state_force_name(self, kind: str, cc: str, year: int | None = None, unit: str | None = None) -> str:
        info = self.countries.get(cc) or {"name": cc}
        parts = [STATE_PREFIX[kind], info.get("state_name", info["name"]), self.state_suffix(cc, year), unit or ""]
        return " ".join(p for p in parts if p)

    def entry_name(self, e: ActorEntry, year: int | None = None, event_country: str | None = None) -> str:
        if event_country and event_country in e.names_by_country:
            return e.names_by_country[event_country]
        if e.state:
            return self.state_force_name(e.state, e.country or "", year, e.unit)
        return e.name or e.id

    def generic_name(self, cls: str, cc: str | None, year: int | None = None, group: str | None = None) -> str:
        spec = self.classes.get(cls) or self.ethnic
        template = spec["template"] if cls in self.classes else self.ethnic["template"]
        template = (spec.get("templates_by_country") or {}).get(cc or "", template)
        country = self.country_name(cc) or "International"
        state = self.state_force_name("military", cc, year).removeprefix("Military Forces of ") if cc else country
        return template.format(country=country, state=state, group=group or "")

    def generic_inter(self, cls: str) -> int:
        return int((self.classes.get(cls) or self.ethnic).get("inter", 0))


@functools.cache
def registry() -> Registry:
    return Registry()


# ------------------------------------------------------------------------------------------ patterns
@dataclass(frozen=True)
class Target:
    kind: str  # "actor" | "source" | "demonym"
    key: str  # registry id, "generic:<class>", "ethnic:<group>", ISO2 for demonyms
    qualifier: str | None = None  # ISO2 when the alias was country-qualified ("Federal Police (Mexico)")
    priority: int = 3  # registry 3, generic 1


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _variants(alias: str) -> set[str]:
    """Spellings a news text may use for one alias: with/without hyphens, accents, straight/curly quotes."""
    base = re.sub(r"^(?:the|The)\s+", "", alias.strip())
    forms = {base, _fold(base)}
    out = set(forms)
    for v in forms:
        if "-" in v:
            out.add(v.replace("-", " "))
        if "'" in v:
            out.add(v.replace("'", "\u2019"))
            if "'s" not in v:
                out.add(v.replace("'", ""))
    return {v for v in out if v}


def _split_alias(alias: str, reg: Registry) -> tuple[str, str | None]:
    """'Federal Police (Mexico)' -> ('Federal Police', 'MX'); other parentheses are kept."""
    m = _QUALIFIED.match(alias)
    if m and m.group(2).lower() in reg.country_lookup:
        return m.group(1), reg.country_lookup[m.group(2).lower()]
    return alias, None


def _case_sensitive(alias: str) -> bool:
    return alias.startswith("=") or bool(_ACRONYM.match(alias) and sum(c.isupper() for c in alias) >= 2)


@dataclass
class _Split:
    """What one match label names, split by kind (speed: worked out once per label, see _Built.split)."""

    actors: list[Target]
    priority: int  # the actor targets' highest
    sources: list[Target]
    demonym: Target | None  # the first demonym target
    force: Target | None  # the first generic actor target whose class a demonym can own (see _demonym_forces)
    best: Target | None  # the actor target a mention of the label keys (see _best_target)


def _best_target(targets: list[Target]) -> Target:
    """The target an actor mention is keyed on: the highest priority, a plain (unqualified) one if any."""
    plain = [t for t in targets if t.qualifier is None]
    return max(plain or targets, key=lambda t: t.priority)


@dataclass
class _Built:
    lower: Any
    exact: Any
    targets: dict[str, list[Target]]  # match label -> targets
    # speed: match label id -> its targets split by kind
    by_id: dict[int, _Split] = field(default_factory=dict)

    def split(self, label_id: int, strings) -> _Split:
        got = self.by_id.get(label_id)
        if got is None:
            tlist = self.targets[strings[label_id]]
            actors = [t for t in tlist if t.kind == "actor"]
            dem = [t for t in tlist if t.kind == "demonym"]
            classes = registry().classes
            force = next((t for t in actors if t.key.startswith("generic:")
                          and classes.get(t.key.removeprefix("generic:"), {}).get("demonym")), None)
            got = self.by_id[label_id] = _Split(actors, max((t.priority for t in actors), default=0),
                                                [t for t in tlist if t.kind == "source"], dem[0] if dem else None,
                                                force, _best_target(actors) if actors else None)
        return got


def _pattern_table(reg: Registry) -> dict[tuple[str, bool], list[Target]]:
    """(phrase, case_sensitive) -> targets, from every registry."""
    table: dict[tuple[str, bool], list[Target]] = {}

    def add(alias: str, target: Target) -> None:
        exact = _case_sensitive(alias)
        alias = alias.lstrip("=")
        for v in _variants(alias):
            lst = table.setdefault((v, exact), [])
            if target not in lst:
                lst.append(target)

    for e in reg.actors.values():
        names = list(e.aliases)
        if e.name and not e.state:
            names.append(e.name)
            if ": " in e.name:
                abbr, _, full = e.name.partition(": ")
                names += [abbr, full]
        for a in names:
            text, q = _split_alias(a, reg)
            add(text, Target("actor", e.id, q, 3))
    for cls, spec in reg.classes.items():
        for cue in spec.get("cues", []):
            add(cue, Target("actor", f"generic:{cls}", None, 1))
    for group in reg.ethnic.get("groups", []):
        for noun in reg.ethnic.get("nouns", []):
            add(f"{group} {noun}", Target("actor", f"ethnic:{group}", None, 2))
    for sid, s in reg.sources.items():
        for a in s.get("aliases") or []:  # the display name is not matched: "Dawn" is also a word
            text, q = _split_alias(a, reg)
            add(text, Target("source", sid, q, 3))
    for cc, info in reg.countries.items():
        for form in info.get("demonyms", []):
            add(form, Target("demonym", cc, None, 0))
        add(f"{info['name']}'s", Target("demonym", cc, None, 0))
        add(info["name"], Target("demonym", cc, None, 0))
        if info.get("state_name"):
            add(info["state_name"], Target("demonym", cc, None, 0))
    return table


_BUILT: dict[int, _Built] = {}


def _build(vocab) -> _Built:
    """PhraseMatchers for one spaCy vocabulary (cached per process)."""
    key = id(vocab)
    if key in _BUILT:
        return _BUILT[key]
    from spacy.lang.en import English
    from spacy.matcher import PhraseMatcher

    tokenizer = English(vocab=vocab).tokenizer
    lower, exact = PhraseMatcher(vocab, attr="LOWER"), PhraseMatcher(vocab, attr="ORTH")
    targets: dict[str, list[Target]] = {}
    groups: dict[tuple[str, bool], list[str]] = {}
    for (phrase, is_exact), tlist in _pattern_table(registry()).items():
        label = "|".join(sorted(f"{t.kind}/{t.key}/{t.qualifier or ''}/{t.priority}" for t in tlist))
        targets[label] = tlist
        groups.setdefault((label, is_exact), []).append(phrase)
    for (label, is_exact), phrases in groups.items():
        docs = list(tokenizer.pipe(phrases))
        (exact if is_exact else lower).add(label, docs)
    _BUILT[key] = _Built(lower, exact, targets)
    return _BUILT[key]


# ------------------------------------------------------------------------------------------ matcher
def _sentence_text(doc: AnalyzedDoc, start: int) -> str | None:
    if not doc.sentences:
        return None
    return doc.sentences[sentence_index(doc.sentences, start)].text


@dataclass
class _Cand:
    start: int  # token indices
    end: int
    targets: list[Target]
    priority: int
    extra: dict[str, Any] = field(default_factory=dict)
    # speed: read off the match label once (see _Split); None for the candidates made here
    force: Target | None = None
    best: Target | None = None


_MODIFIER_HEADS = {"affiliated", "linked", "backed", "allied", "aligned", "inspired", "supported", "funded",
                   "sponsored", "trained", "armed", "leaning", "dominated"}


def _is_modifier(c: _Cand, texts: list[str]) -> bool:
    """A registry name used as a modifier ("Al Qaeda-linked", "Iran-backed") names no actor of its own.
    ``texts``: the token texts (a TokenTable's; lower-cased, each is the token's LOWER)."""
    e = c.end
    return (e + 1 < len(texts) and texts[e] == "-" and texts[e + 1].lower() in _MODIFIER_HEADS
            and not any(t.key.startswith("generic:") for t in c.targets))


_OPPOSED_PREFIXES = {"anti", "counter", "non"}


def _is_opposed(c: _Cand, texts: list[str]) -> bool:
    """"anti-Houthi forces", "anti-Taliban militia": the name says whom they fight, not who they are."""
    s = c.start
    return s >= 2 and texts[s - 1] == "-" and texts[s - 2].lower() in _OPPOSED_PREFIXES or (
        s >= 1 and texts[s - 1].lower() in {"anti-", "counter-"})


def _is_admin_unit(c: _Cand, texts: list[str]) -> bool:
    """"Kaura Namoda local government area", "the local government council": an administrative unit (Nigeria's
    LGAs, Uganda's local governments), not the government as a party."""
    return c.start >= 1 and texts[c.start - 1].lower() == "local" and c.end - c.start == 1 and any(
        t.key == "generic:government" for t in c.targets)


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest match wins; on equal length the registry beats generic cues."""
    if len(cands) < 2:
        return list(cands)  # speed: nothing to choose between
    cands = sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    taken: set[int] = set()
    out = []
    for c in cands:
        if any(i in taken for i in range(c.start, c.end)):
            continue
        taken.update(range(c.start, c.end))
        out.append(c)
    return sorted(out, key=lambda c: c.start)


class ActorMatcher:
    """Finds actor mentions (registry actors, generic classes, demonym + cue) and source mentions."""

    def __init__(self) -> None:
        self.reg = registry()
        self._tokenizer = None
        self._kept: dict[Any, dict[str, Any]] = {}  # see _generic_attrs and _registry_attrs
        # "military" cues that may name the police (see _actor_mention), read once
        military = self.reg.classes.get("military") or {}
        self._police_context = {c.lower() for c in military.get("police_context", [])}

    def _tokens(self, doc: AnalyzedDoc):
        if doc.tokens is not None:
            return doc.tokens
        if self._tokenizer is None:
            import spacy

            self._tokenizer = spacy.blank("en")
        return self._tokenizer.make_doc(doc.article.text)

    def find(self, doc: AnalyzedDoc) -> list[Mention]:
        tokens = self._tokens(doc)
        built = _build(tokens.vocab)
        # speed: token texts and offsets from the TokenTable (built once per Doc), not from Token objects
        table = doc.token_table() if doc.tokens is not None else token_table(tokens, doc.article.text)
        texts = table.texts
        actor_c, source_c, demonyms, starts = [], [], {}, {}
        strings = tokens.vocab.strings
        for matcher in (built.lower, built.exact):
            for label_id, s, e in matcher(tokens):
                sp = built.split(label_id, strings)
                if sp.actors:
                    actor_c.append(_Cand(s, e, list(sp.actors), sp.priority, force=sp.force, best=sp.best))
                if sp.sources:
                    source_c.append(_Cand(s, e, list(sp.sources), 3))
                if sp.demonym is not None:
                    demonyms[e] = (s, sp.demonym.key)
                    starts[s] = (e, sp.demonym.key)
        actor_c += self._demonym_forces(actor_c, demonyms, starts, texts)
        chosen = _select(actor_c)
        text = doc.article.text
        sentence = sentence_finder(doc)
        out: list[Mention] = []
        for c in chosen:
            if _is_modifier(c, texts):  # "Al Qaeda-affiliated Nusra Front": only the Nusra Front acts
                continue
            if _is_opposed(c, texts) or _is_admin_unit(c, texts):
                continue
            m = self._actor_mention(c, table, text, doc)
            if m is not None:
                m.sentence = sentence(m.start)
                out.append(m)
        for c in _select(source_c) + self._channels(chosen, table):
            m = self._source_mention(c, table, text)
            m.sentence = sentence(m.start)
            out.append(m)
        out.sort(key=lambda m: (m.start, -m.end, m.kind))
        return out

    # ---- demonym + generic cue ("Israeli troops", "Nigeria's army") -> that country's forces
    def _demonym_forces(self, cands: list[_Cand], demonyms: dict[int, tuple[int, str]],
                        starts: dict[int, tuple[int, str]], texts: list[str]) -> list[_Cand]:
        """"Israeli troops", "Nigeria's army", "military forces of Azerbaijan": the country's own forces."""
        out: list[_Cand] = []
        if not demonyms:
            return out  # speed: no demonym or country named (``starts`` is empty too): no country's forces
        for c in cands:
            t = c.force  # the first generic target whose class a demonym can own (read off the label once)
            if t is None:
                continue
            if c.start in demonyms:
                ds, cc = demonyms[c.start]
                out.append(_Cand(ds, c.end, [t], 2, {"country": cc}))
                # "Turkish and Russian forces": the first demonym shares the head noun
                if ds >= 2 and texts[ds - 1].lower() == "and" and ds - 1 in demonyms:
                    ds2, cc2 = demonyms[ds - 1]
                    if cc2 != cc:
                        out.append(_Cand(ds2, ds - 1, [t], 2, {"country": cc2, "shared_head": True}))
            k = c.end
            if k < len(texts) and texts[k].lower() == "of":
                k += 1
                if k < len(texts) and texts[k].lower() == "the":
                    k += 1
                if k in starts:
                    de, cc = starts[k]
                    out.append(_Cand(c.start, de, [t], 2, {"country": cc}))
                    # "military forces of India and Pakistan exchanged fire": the second country's forces too
                    if de + 1 < len(texts) and texts[de].lower() == "and" and de + 1 in starts:
                        de2, cc2 = starts[de + 1]
                        if cc2 != cc:
                            out.append(_Cand(de + 1, de2, [t], 2, {"country": cc2}))
        return out

    def _actor_mention(self, c: _Cand, table: TokenTable, text: str, doc: AnalyzedDoc) -> Mention | None:
        # speed: the span's offsets from its first and last tokens, its text from the article's (the tokens are
        # the article text's, so Span.text is that slice)
        start_char, end_char = table.starts[c.start], table.ends[c.end - 1]
        span_text = text[start_char:end_char]
        target = c.best if c.best is not None else _best_target(c.targets)
        attrs: dict[str, Any] = {}
        key = target.key
        if key.startswith("generic:"):
            cls = key.removeprefix("generic:")
            if cls == "military" and span_text.lower() in self._police_context:
                sent = _sentence_text(doc, start_char) or text
                if _POLICE_WORDS.search(sent) and not _MILITARY_WORDS.search(sent):
                    cls, key = "police", "generic:police"
            cc = c.extra.get("country")
            attrs = self._generic_attrs(cls, cc)
            if c.extra.get("shared_head"):
                attrs["shared_head"] = True  # "Turkish" of "Turkish and Russian forces": allied with the next
        elif key.startswith("ethnic:"):
            group = key.removeprefix("ethnic:")
            attrs = {"inter": self.reg.generic_inter("ethnic"), "generic": True, "class": "ethnic",
                     "group": group, "country": None, "name": self.reg.ethnic["template"]}
        else:
            attrs = self._registry_attrs(key)
        if len(c.targets) > 1 or target.qualifier:
            attrs["candidates"] = [[t.key, t.qualifier] for t in c.targets]
        return Mention(kind="actor", start=start_char, end=end_char, text=span_text, sentence=0,
                       key=key, attrs=attrs)

    def _generic_attrs(self, cls: str, cc: str | None) -> dict[str, Any]:
        """The attrs of a generic actor of class ``cls`` named with country ``cc`` (a copy; speed: made once, as
        the registry does not change)."""
        kept = self._kept.get((cls, cc))
        if kept is None:
            kept = {"inter": self.reg.generic_inter(cls), "generic": True, "class": cls, "country": cc,
                    "name": self.reg.generic_name(cls, cc) if cc else self.reg.classes[cls]["template"]}
            if cc:
                kept["demonym"] = True
            self._kept[(cls, cc)] = kept
        return dict(kept)

    def _registry_attrs(self, key: str) -> dict[str, Any]:
        """The attrs of the registry actor ``key`` (a copy; made once, as above)."""
        kept = self._kept.get(key)
        if kept is None:
            e = self.reg.actors[key]
            kept = self._kept[key] = {"inter": e.inter, "generic": False, "country": e.country,
                                      "name": self.reg.entry_name(e)}
        return dict(kept)

    # ---- an armed group's own channel: "the Twitter page of the Nusra Front", "Hamas's Telegram channel"
    def _channels(self, chosen: list[_Cand], table: TokenTable) -> list[_Cand]:
        texts, punct = table.texts, table.punct
        out = []
        for c in chosen:
            t = next((t for t in c.targets if t.kind == "actor" and ":" not in t.key), None)
            if t is None:
                continue
            s = c.start - 1
            if s >= 0 and texts[s].lower() == "the":
                s -= 1
            if s >= 0 and texts[s].lower() == "of":
                j = s - 1
                first = None
                while j >= max(0, s - 4) and not punct[j]:
                    if texts[j].lower() in _CHANNEL_NOUNS:
                        first = j
                    j -= 1
                if first is not None:
                    while first > 0 and texts[first - 1].lower() in _CHANNEL_LEAD:
                        first -= 1
                    out.append(_Cand(first, c.end, [Target("source", f"channel:{t.key}")], 3))
                    continue
            e = c.end
            if e < len(texts) and texts[e].lower() in {"'s", "\u2019s", "-"}:
                e += 1
                if texts[e - 1].lower() == "-" and e < len(texts) and texts[e].lower() in {
                        "affiliated", "run", "linked", "controlled", "owned"}:
                    e += 1
            if e == c.end:
                continue
            for k in range(e, min(len(texts), e + 3)):
                if punct[k]:
                    break
                if texts[k].lower() in _CHANNEL_NOUNS:
                    last = k
                    while last + 1 < len(texts) and texts[last + 1].lower() in _CHANNEL_NOUNS:
                        last += 1
                    out.append(_Cand(c.start, last + 1, [Target("source", f"channel:{t.key}")], 3))
                    break
        return out

    def _source_mention(self, c: _Cand, table: TokenTable, text: str) -> Mention:
        # speed: offsets and text as in _actor_mention
        start_char, end_char = table.starts[c.start], table.ends[c.end - 1]
        target = max(c.targets, key=lambda t: (t.qualifier is None, t.priority))
        if target.key.startswith("channel:"):
            e = self.reg.actors[target.key.removeprefix("channel:")]
            kind = "official" if e.state else "armed group channel"
            attrs = {"kind": kind, "name": self.reg.entry_name(e), "actor": e.id}
        else:
            s = self.reg.sources[target.key]
            attrs = {"kind": s["kind"], "name": s["name"]}
            if s.get("actor"):
                attrs["actor"] = s["actor"]
        return Mention(kind="source", start=start_char, end=end_char, text=text[start_char:end_char],
                       sentence=0, key=target.key, attrs=attrs)

"""Place resolution: each recognised place mention -> one gazetteer place, by context before priors.

Evidence, strongest first: a stated distance/bearing from another place ("55 miles southwest of
Aleppo"), an "X, Y" / "X (Y)" pattern where Y is X's province or country, the document's country focus
(countries named, demonyms, unambiguous places), closeness to the other places of the document, and last
the gazetteer prior (feature and population).
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
from collections import Counter, defaultdict

from sitrep.data import load_yaml
from sitrep.model import AnalyzedDoc, Mention, PlaceMention
from sitrep.nlp.actors import STATE_PREFIX
from sitrep.resolve.gazetteer import Gazetteer, bearing, haversine, name_key, seat_forms

MAX_CANDIDATES = 40

_BEARINGS = {
    "north": 0, "northeast": 45, "north-east": 45, "east": 90, "southeast": 135, "south-east": 135,
    "south": 180, "southwest": 225, "south-west": 225, "west": 270, "northwest": 315, "north-west": 315,
    "northern": 0, "southern": 180, "eastern": 90, "western": 270,
}
_UNITS = {"km": 1.0, "kms": 1.0, "kilometers": 1.0, "kilometres": 1.0, "kilometer": 1.0, "kilometre": 1.0,
          "mi": 1.609, "mile": 1.609, "miles": 1.609}
_DIST = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)?)\s*-?\s*(?P<unit>km|kms|kilomet(?:er|re)s?|miles?|mi)\b\s*(?:\([^)]*\)\s*)?"
    r"(?:\s*(?:to\s+the\s+)?(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?)?"
    r"(?:\s+(?P<prep>of|(?:away\s+)?from|outside(?:\s+of)?))?", re.IGNORECASE)
_ORIGIN_BEFORE = re.compile(
    r"\b(?:fighters|militants|jihadists|mercenaries|troops|soldiers|forces|refugees|migrants|volunteers|"
    r"recruits|came|come|coming|arrived|arriving|crossed|crossing|infiltrated|returned|returning|fled|"
    r"fleeing|travell?ed|deported|smuggled|flown|brought|sent|transferred|hailing|originally|native)\b"
    r"[\w\s,'(-]{0,40}\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
# where the words were spoken, not where anything happened: "a statement issued in Geneva", "told reporters in
# Nairobi", "speaking at a news conference in Naypyitaw"
_SPOKEN_BEFORE = re.compile(
    r"\b(?:(?:statement|briefing|news\s+conference|press\s+conference|conference|speech|interview|communique)"
    r"\s+(?:\w+\s+){0,2}?(?:issued\s+|given\s+|held\s+|delivered\s+|released\s+|broadcast\s+)?|"
    r"told\s+(?:reporters|journalists|a\s+news\s+conference|a\s+press\s+conference)\s+|speaking\s+|spoke\s+)"
    r"(?:in|from)\s+(?:the\s+)?$", re.IGNORECASE)
_NEAR_BEFORE = re.compile(r"\b(?:near|outside|close\s+to|next\s+to|neighbouring|neighboring|"
                          r"on\s+the\s+outskirts\s+of|outskirts\s+of)\s+(?:the\s+)?(?:\w+\s+of\s+)?$", re.IGNORECASE)


# "on the road towards Y", "a convoy heading to Y", "bound for Y": where people were going, not where it happened
_TOWARDS_BEFORE = re.compile(r"\b(?:towards?|heading\s+(?:to|for)|headed\s+(?:to|for)|bound\s+for|en\s+route\s+to|"
                             r"on\s+(?:its|their|his|her)\s+way\s+to)\s+(?:the\s+)?(?:\w+\s+of\s+)?$", re.IGNORECASE)


class _TailFirst:
    """A pattern searched only where its own last part (given, and checked to end the pattern) matches
    (speed: that short test rules out nearly every text, the whole pattern is slow to fail)."""

    def __init__(self, rx: re.Pattern, tail: str):
        if not rx.pattern.endswith(tail):
            raise ValueError(f"{tail!r} does not end {rx.pattern!r}")
        self.rx, self.tail = rx, re.compile(tail, rx.flags)

    def search(self, text: str) -> re.Match | None:
        return self.rx.search(text) if self.tail.search(text) else None


_ORIGIN_BEFORE = _TailFirst(_ORIGIN_BEFORE, r"\bfrom\s+(?:the\s+)?$")  # type: ignore[assignment]
_SPOKEN_BEFORE = _TailFirst(_SPOKEN_BEFORE, r"(?:in|from)\s+(?:the\s+)?$")  # type: ignore[assignment]


# ------------------------------------------------------------------------------------------------
def _cands(g: Gazetteer, m: Mention) -> list[tuple[int, bool, bool]]:
    return g.candidates(m.key)[:MAX_CANDIDATES]


@functools.cache
def _operates_in(actor_id: str | None) -> tuple[str, ...]:
    """The countries an actor of the registry fights in (actors.yaml ``operates_in``), else ()."""
    from sitrep.nlp.actors import registry

    e = registry().actors.get(actor_id or "")
    return e.operates_in if e else ()


@functools.cache
def _source_countries() -> dict[str, tuple[str, str]]:
    """Source id -> (kind, country) for the sources of one country (sources.yaml)."""
    out: dict[str, tuple[str, str]] = {}
    for e in (load_yaml("sources.yaml") or {}).get("sources") or []:
        if e.get("id") and e.get("country"):
            out[str(e["id"])] = (str(e.get("kind") or ""), str(e["country"]))
    return out


@dataclasses.dataclass(frozen=True)
class Theatre:
    name: str
    country: str
    admin1: frozenset[str]  # name keys
    cues: re.Pattern
    admin1_names: tuple[str, ...] = ()  # as listed, the main one first


@functools.cache
def _theatres() -> tuple[Theatre, ...]:
    """data/theatres.yaml: cue words that tie a report to one region of one country."""
    out = []
    for name, spec in ((load_yaml("theatres.yaml") or {}).get("theatres") or {}).items():
        cues = [str(c) for c in spec.get("cues") or []]
        # capitalised cues (acronyms, names) match as written; the others ignore case
        pat = "|".join(re.escape(c) if c != c.lower() else f"(?i:{re.escape(c)})"
                       for c in sorted(cues, key=len, reverse=True))
        out.append(Theatre(str(name), str(spec["country"]),
                           frozenset(name_key(str(a)) for a in spec.get("admin1") or []),
                           re.compile(rf"(?<![\w-])(?:{pat})(?![\w-])"),
                           tuple(str(a) for a in spec.get("admin1") or [])))
    return tuple(out)


def active_theatres(doc: AnalyzedDoc) -> tuple[Theatre, ...]:
    """The theatres a report's words tie it to (computed once per document)."""
    cached = doc.__dict__.get("_theatres")
    if cached is None:
        cached = tuple(t for t in _theatres() if t.cues.search(doc.article.text))
        doc.__dict__["_theatres"] = cached
    return cached


def _front_lines(doc: AnalyzedDoc, theatres: tuple[Theatre, ...]):
    """The front lines of the report's theatres that stood on its publication date."""
    from sitrep.resolve.fronts import front_lines

    ccs = {t.country for t in theatres}
    return tuple(fl for fl in front_lines() if fl.country in ccs and fl.stands_on(doc.article.published))


# how much closeness to the line weighs: enough to outweigh a namesake's bigger population behind the line
FRONT_WEIGHT = 2.0


def _near_front(g: Gazetteer, i: int, lines) -> float:
    """Closeness to a front line: FRONT_WEIGHT at the line's reach falling to 0 at max_km, 2.0 more for a listed
    settlement itself: "explosions near Opytne" in a monitor's report is the Opytne on the line of contact,
    not its namesake behind it."""
    lat, lon, cc = float(g.lat[i]), float(g.lon[i]), g.country_code_of(i)
    best = 0.0
    for fl in lines:
        if fl.country != cc:
            continue
        _, d = fl.nearest(lat, lon)
        best = max(best, FRONT_WEIGHT * max(0.0, 1.0 - d / fl.max_km) + (2.0 if d < 2.0 else 0.0))
    return best


# a village this small of the theatre's country but outside its provinces is not what a theatre report means
THEATRE_VILLAGE_POP = 50_000


def _drop_behind_the_theatre(g: Gazetteer, sc: dict[int, float], theatres: tuple[Theatre, ...]) -> None:
    """"The SMM recorded explosions near Lozove": a monitor's report from the front names a village there; the
    Lozove in Crimea or the Viktorivka in Odessa oblast is another (the name stays unresolved when the
    gazetteer lacks the one at the front, and the event falls back to the theatre)."""
    ccs = {t.country for t in theatres}
    for i in list(sc):
        if g.country_code_of(i) in ccs and g.feature(i) not in ("ADM1", "PCLI", "CONT", "RGN", "H") \
                and g.population(i) < THEATRE_VILLAGE_POP and not _in_theatre(g, i, theatres):
            del sc[i]


def _in_theatre(g: Gazetteer, i: int, theatres: tuple[Theatre, ...]) -> bool:
    cc = g.country_code_of(i)
    a1 = g.admin1_of(i)
    return any(t.country == cc and a1 and name_key(a1) in t.admin1 for t in theatres)


# "near the borders with India and Bangladesh", "bordering Iraq", "across the border from Turkey": a
# country named as a landmark, not as where the report is (the names between are other landmarks)
_BORDER_REF = re.compile(
    r"\b(?:borders?\s+(?:with|of)|bordering|frontiers?\s+(?:with|of)|across\s+the\s+border\s+(?:from|in|into))"
    r"\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s*(?:,\s*and|,|and)\s+(?:the\s+)?)*$")


def _border_reference(text: str, m: Mention, g: Gazetteer) -> bool:
    """A country named only as the border a place lies near ("a town near the border with India")."""
    cs = g.candidates(m.key)
    if not cs or g.feature(cs[0][0]) != "PCLI":
        return False
    return bool(_BORDER_REF.search(text[max(0, m.start - 80):m.start]))


# a country's police named in a report: a fair sign the report is from that country (its forces, unlike
# its army, do not serve abroad); told by the ACLED name the actor registry gives them
POLICE_VOTE = 0.8
_POLICE_PREFIX = STATE_PREFIX["police"]


def _focus_parts(doc: AnalyzedDoc, mentions: list[Mention], g: Gazetteer) -> tuple[dict[str, float], list[dict]]:
    """Country weights of the whole document and each place mention's own share of them."""
    w: dict[str, float] = defaultdict(float)
    srcs = _source_countries()
    # where an actor's name starts (or a demonym's forces): "Turkish forces", "French Operation Barkhane"
    actor_at = {m.start: m for m in doc.mentions if m.kind == "actor"}
    for m in doc.mentions:
        if m.kind == "demonym" and m.key:
            nxt = actor_at.get(m.start) or actor_at.get(m.end + 1)
            # a country's forces ("Turkish forces shelled Tall Refaat", "French Operation Barkhane forces")
            # are often abroad: their demonym says whose forces, hardly where the report is
            w[m.key] += 0.2 if nxt is not None and nxt.attrs.get("inter") in (1, 8) else 0.5
        elif m.kind == "actor" and m.attrs.get("country") and str(m.attrs.get("name") or "").startswith(
                _POLICE_PREFIX):
            # "the Nepal Police", "Afghan police": a country's police serve at home
            w[str(m.attrs["country"])] += POLICE_VOTE
        elif m.kind == "actor" and (m.attrs.get("country") or _operates_in(m.key)) and not m.attrs.get("generic"):
            abroad = _operates_in(m.key)
            if abroad:
                # an expeditionary force ("Operation Barkhane") or a group fighting across borders ("JNIM"):
                # a report of it is from one of the countries it fights in
                for cc in abroad:
                    w[cc] += 0.4 / len(abroad)
            else:
                w[str(m.attrs["country"])] += 0.4  # a named group of one country ("LNA", "Houthis")
        elif m.kind == "source" and m.key in srcs:
            # "according to the Syria Civil Defence": a monitor of one country reports on that country;
            # other outlets of a country (state media, agencies) report abroad too, so they count less
            kind, cc = srcs[m.key]
            w[cc] += 0.5 if kind == "monitor" else 0.25
    for t in active_theatres(doc):
        w[t.country] += 1.0  # "the OSCE SMM observed ...": a report from that theatre
    text = doc.article.text
    parts: list[dict[str, float]] = []
    for m in mentions:
        own: dict[str, float] = {}
        if m.attrs.get("modifier") or tail_of_longer_name(text, m.start) or _SPOKEN_BEFORE.search(
                text[max(0, m.start - 80):m.start]):
            # "US forces": whose forces, not where the report is; "Villa del Caribe", "Residencial Los
            # Lagos": a part of a longer name, whose namesakes say nothing of the country
            parts.append(own)
            continue
        cands = _cands(g, m)
        if cands and _ORIGIN_BEFORE.search(text[max(0, m.start - 80):m.start]):
            # "migrants (mostly from Afghanistan)": where people came from, barely a hint of where the
            # report is
            own[g.country_code_of(cands[0][0])] = 0.1
        elif cands and _border_reference(text, m, g):
            own[g.country_code_of(cands[0][0])] = 0.1
        elif cands:
            top, alt, _ = cands[0]
            if g.feature(top) == "PCLI" and not alt:
                # inside a longer name ("Puerto Jordan", "Syria Civil Defence") a country is a word of
                # that name, barely a hint of where the report is
                own[g.country_code_of(top)] = 0.2 if m.attrs.get("embedded") else 1.5
            else:
                strong = [c for c in cands if g.prior(c[0], c[1]) >= g.prior(top, alt) - 1.0]
                ccs = {g.country_code_of(i) for i, _, _ in strong}
                if alt:
                    # the best reading is only another place's alternate name ("Seno" for Ban Xeno, Laos):
                    # the countries of the places that bear the name as their own are as likely
                    ccs |= {g.country_code_of(i) for i, a, via in cands if not a and not via}
                if len(ccs) == 1:
                    own[ccs.pop()] = 1.0 if len(cands) == 1 or g.feature(top) == "ADM1" else 0.6
                else:
                    own = {c: 0.15 / len(ccs) for c in ccs}
        for c, v in own.items():
            w[c] += v
        parts.append(own)
    return w, parts


def _same_name_parts(ments: list[Mention], parts: list[dict[str, float]]) -> list[dict[str, float]]:
    """Each mention's country votes summed over every mention of the same name."""
    by_key: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for m, own in zip(ments, parts):
        for c, v in own.items():
            by_key[m.key][c] += v
    return [dict(by_key[m.key]) for m in ments]


def _normalized(w: dict[str, float]) -> list[tuple[str, float]]:
    total = sum(v for v in w.values() if v > 0)
    if not total:
        return []
    return sorted(((cc, v / total) for cc, v in w.items() if cc and v > 0), key=lambda t: -t[1])


def doc_country_focus(doc: AnalyzedDoc, mentions: list[Mention] | None = None,
                      gazetteer: Gazetteer | None = None) -> list[tuple[str, float]]:
    """Countries the document is about, with weights summing to 1 (best first).

    Counts countries named, demonyms (a third as much) and the countries of places whose best
    candidates all lie in one country.
    """
    g = gazetteer or Gazetteer.load()
    mentions = [m for m in (mentions if mentions is not None else doc.mentions) if m.kind == "place"]
    return _normalized(_focus_parts(doc, mentions, g)[0])


# ------------------------------------------------------------------------------------------------
def spatial_statements(doc: AnalyzedDoc, mentions: list[Mention], gazetteer: Gazetteer | None = None,
                       chosen: dict[int, int] | None = None) -> list[dict]:
    """Distance/bearing statements: "55 miles southwest of Aleppo", "40 km from Diba".

    Each: subject and reference (mention indexes into ``mentions`` and texts), stated_km, stated_bearing,
    and, when both ends are resolved (``chosen`` maps mention index -> gazetteer index), measured_km,
    measured_bearing and consistent.
    """
    g = gazetteer or Gazetteer.load()
    text = doc.article.text
    out = []
    places = [(k, m) for k, m in enumerate(mentions) if m.kind == "place"]
    for s in doc.sentences:
        for mt in _DIST.finditer(s.text):
            a, b = s.start + mt.start(), s.start + mt.end()
            num = float(mt.group("num").replace(",", "."))
            km = num * _UNITS[mt.group("unit").lower()]
            d = mt.group("dir")
            brg = _BEARINGS.get(d.lower()) if d else None
            # the reference: a place right after "of/from"; else (no preposition) the place named before
            ref = subj = None
            after = [(k, m) for k, m in places if b <= m.start <= b + 12 and not text[b:m.start].strip(" the")]
            before = [(k, m) for k, m in places if m.end <= a]
            if mt.group("prep") and after:
                ref = after[0][0]
                subj_c = [k for k, m in before if m.sentence == s.index]
                subj = subj_c[-1] if subj_c else (before[-1][0] if before else None)
            elif not mt.group("prep") and brg is not None and before and before[-1][1].sentence == s.index \
                    and a - before[-1][1].end <= 3:
                # "Latakia, 35 miles to the southwest": of the place before, or of the document's main place
                subj = before[-1][0]
                refs = [k for k in _main_refs(mentions, places, subj) if k != subj]
                refs += [k for k, m in reversed(before[:-1]) if m.sentence == s.index and k not in refs]
                ref = _pick_ref(g, refs, subj, km, brg, chosen)
            if ref is None or subj is None or ref == subj:
                continue
            if any(_is_area(g, mentions[x], chosen.get(x) if chosen else None) for x in (ref, subj)):
                continue  # a distance to a country or region is not measurable by its centre
            st = {"subject": subj, "subject_text": mentions[subj].text, "reference": ref,
                  "reference_text": mentions[ref].text, "stated_km": round(km, 1), "stated_bearing": brg,
                  "statement": text[a:b], "start": a, "end": b}
            if chosen and subj in chosen and ref in chosen and chosen[subj] is not None and chosen[ref] is not None:
                i, j = chosen[subj], chosen[ref]
                mk = g.km(j, i)
                mb = bearing(float(g.lat[j]), float(g.lon[j]), float(g.lat[i]), float(g.lon[i]))
                st.update(measured_km=round(mk, 1), measured_bearing=round(mb),
                          consistent=_consistent(km, brg, mk, mb))
            out.append(st)
    return out


def _main_refs(mentions: list[Mention], places, subj: int) -> list[int]:
    """The document's most-mentioned place (first mention), the usual reference of a bare distance."""
    from collections import Counter

    counts = Counter(m.key for _, m in places)
    if not counts:
        return []
    key = counts.most_common(1)[0][0]
    return [k for k, m in places if m.key == key][:1]


def _pick_ref(g: Gazetteer, refs: list[int], subj: int, km: float, brg, chosen) -> int | None:
    if not refs:
        return None
    if chosen and chosen.get(subj) is not None:
        i = chosen[subj]
        for r in refs:
            j = chosen.get(r)
            if j is not None and _consistent(km, brg, g.km(j, i), bearing(float(g.lat[j]), float(g.lon[j]),
                                                                           float(g.lat[i]), float(g.lon[i]))):
                return r
    return refs[0]


def _is_area(g: Gazetteer, m: Mention, i: int | None) -> bool:
    if i is None:
        cs = g.candidates(m.key)
        if not cs:
            return False
        i = cs[0][0]
    return g.feature(i) in ("PCLI", "CONT", "RGN")


def _consistent(km: float, brg: float | None, mk: float, mb: float) -> bool:
    if abs(mk - km) > max(10.0, 0.25 * km):
        return False
    if brg is not None and mk > 3:
        diff = abs((mb - brg + 180) % 360 - 180)
        return diff <= 67.5
    return True


# ------------------------------------------------------------------------------------------------
# a town this close to the centre of the district named like it is the district's seat
DISTRICT_SEAT_KM = 8.0


def resolve_places(doc: AnalyzedDoc, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """One PlaceMention per kind="place" mention, in text order (place None when nothing fits)."""
    from sitrep.nlp.places import common_words  # the recognizer's word list (imported here: nlp imports us)

    g = gazetteer or Gazetteer.load()
    text = doc.article.text
    ments = sorted((m for m in doc.mentions if m.kind == "place"), key=lambda m: m.start)
    if not ments:
        return []
    cands = [_cands(g, m) for m in ments]
    total, parts = _focus_parts(doc, ments, g)
    theatres = active_theatres(doc)
    fronts = _front_lines(doc, theatres) if theatres else ()
    base: list[dict[int, float]] = []
    same = _same_name_parts(ments, parts)
    for m, cs, own in zip(ments, cands, same):
        # the focus of the rest of the document: a name does not vote for its own reading, nor do its
        # repetitions ("El Callao, Bolivar state ... in El Callao" must not vote twice for Callao, Peru)
        focus = dict(_normalized({c: v - own.get(c, 0.0) for c, v in total.items()}))
        level = m.attrs.get("level") if m.attrs.get("cue") else None  # only a level the text states
        plain_word = name_key(m.text) in common_words()
        sc = {}
        has_adm1 = level == "admin1" and any(g.feature(i) == "ADM1" for i, _, _ in cs)
        # a name that is some place's own name is less likely another's alternate name abroad ("Puno" is
        # Puno, Peru, before it is a spelling of Pune; "Moria" the Greek village before a name for
        # Jerusalem); at home an alternate name is often the short form ("Khairpur" for Khairpur Mir's)
        main_ccs = {g.country_code_of(i) for i, alt, via in cs if not alt and not via}
        # of two towns of one name, the one a district of that name is named after sits at its centre
        # ("Sao Jose, Santa Catarina": the city, not a same-named village of the province)
        districts = [i for i, _, _ in cs if g.feature(i) == "ADM2"]
        if districts:
            # only between namesakes of one country: abroad the seat says nothing ("Beja, Tunisia" has no
            # district of that name in the gazetteer, Beja in Portugal has)
            towns_by_cc = Counter(g.country_code_of(i) for i, _, _ in cs if g.feature(i) in ("PPL", "PPLC"))
            districts = [i for i in districts if towns_by_cc[g.country_code_of(i)] > 1]
        for i, alt, via in cs:
            f = g.feature(i)
            if f in ("ADM1", "ADM2") and plain_word and level not in ("admin1", "admin2"):
                continue  # "Eastern", "North": such an area only when the text says "Eastern Province"
            s = g.prior(i, alt) - (1.0 if via else 0.0) - (1.0 if alt and main_ccs and g.country_code_of(i) not in main_ccs else 0.0)
            s += 5.0 * focus.get(g.country_code_of(i), 0.0)
            if districts and f in ("PPL", "PPLC") and g.min_km(i, districts, DISTRICT_SEAT_KM) <= DISTRICT_SEAT_KM:
                s += 0.5
            if theatres and _in_theatre(g, i, theatres):
                s += 2.5  # the namesake inside the report's theatre of war
                if fronts and f not in ("ADM1", "PCLI"):
                    s += _near_front(g, i, fronts)  # and of two there, the one on the front line
            if level == "admin1":
                # "Merida state": a province when one of that name exists, whatever the focus says
                s += 3.0 if f == "ADM1" else (-6.0 if has_adm1 else -1.0)
            elif level == "populated place" and f in ("ADM1", "PCLI"):
                s -= 3.0
            elif level == "admin2" and f == "ADM1":
                s -= 1.0
            sc[i] = s
        if theatres and not m.attrs.get("cue"):
            _drop_behind_the_theatre(g, sc, theatres)
        base.append(sc)
    _veto_out_of_focus(g, ments, base, total, same)
    _apply_containment(g, text, ments, cands, base)
    chosen = {k: (max(sc, key=sc.get) if sc else None) for k, sc in enumerate(base)}
    # distance statements pick the consistent pair
    stmts = spatial_statements(doc, ments, g)
    for st in stmts:
        _apply_statement(g, st, cands, base)
    chosen = {k: (max(sc, key=sc.get) if sc else None) for k, sc in enumerate(base)}
    # closeness to the other places of the document (two rounds)
    for _ in range(2):
        pts = [(k, i) for k, i in chosen.items() if i is not None and g.feature(i) not in ("PCLI", "CONT")]
        if len(pts) < 2:
            break
        new = {}
        for k, sc in enumerate(base):
            if not sc:
                new[k] = None
                continue
            others = [i for kk, i in pts if kk != k and ments[kk].key != ments[k].key]
            if not others:
                new[k] = max(sc, key=sc.get)
                continue
            best, bs = None, -1e9
            others = others[:20]
            for i, s in sc.items():
                if g.feature(i) in ("PCLI", "CONT"):
                    bonus = 0.0
                elif g.feature(i) == "ADM1" and any(
                        g.country_code_of(j) == g.country_code_of(i) and g.admin1_of(j) == g.admin1_of(i)
                        for j in others):
                    bonus = 2.0  # a province holding the other places is as near as can be ("La Plata (Buenos Aires)")
                else:
                    dmin = g.min_km(i, others, cap=400.0)
                    bonus = 2.0 * max(0.0, 1.0 - dmin / 400.0)
                if s + bonus > bs:
                    best, bs = i, s + bonus
            new[k] = best
        chosen = new
    # the same name twice in one document is the same place (unless stated otherwise)
    by_key: dict[str, int] = {}
    for k, m in enumerate(ments):
        if chosen[k] is not None and m.key not in by_key:
            by_key[m.key] = chosen[k]
    out = []
    final: dict[int, int | None] = {}
    for k, m in enumerate(ments):
        i = chosen[k]
        if i is not None and m.key in by_key and not m.attrs.get("cue"):
            i = by_key[m.key] if by_key[m.key] in base[k] else i
        i = _prefer_city(g, m, i, cands[k])
        place = g.place(i) if i is not None else None
        if place is not None and g.is_boundary(i) and m.key != name_key(place.name) and \
                m.key in {name_key(f) for f in seat_forms(place.name, place.country_code or "")}:
            # "near Starohnativka", found as the village council named after it: the village's name, at the
            # council's centre (precision 2)
            place = dataclasses.replace(place, name=m.text)
        level = m.attrs.get("level") or "populated place"
        if place is not None and not m.attrs.get("cue"):
            level = {"PCLI": "country", "CONT": "region", "RGN": "region", "ADM1": "admin1", "ADM2": "admin2",
                     "H": "water"}.get(
                place.feature_code or "", "populated place")
        score = _confidence(base[k], i)
        out.append(PlaceMention(span=doc.article.span(m.start, m.end), place=place,
                                role=_role(text, m, ments, stmts, k, g), level=level,
                                qualifier=m.attrs.get("qualifier"), score=score))
        final[k] = i
    _near_consistency(g, text, ments, cands, out, final)
    # the statements checked against the places finally chosen: each subject PlaceMention carries its
    # own in ``statements`` (stated and measured km/bearing, consistent True/False)
    if stmts:
        for st in spatial_statements(doc, ments, g, final):
            pm = out[st["subject"]]
            if not hasattr(pm, "statements"):
                pm.statements = []  # type: ignore[attr-defined]
            pm.statements.append(st)  # type: ignore[attr-defined]
    return out


_MAJOR = ("PCLI", "CONT", "RGN", "H", "ADM1")
# "X, near (the town of) Y": farther than this, the reading of X is not the one the text means
NEAR_KM = 60.0


def _near_consistency(g: Gazetteer, text: str, ments: list[Mention], cands, out: list[PlaceMention],
                      final: dict[int, int | None]) -> None:
    """"the village of El Aguaje, near the town of Aguillila": the village is a reading of its name near
    the town; when the gazetteer has none there (a homonym far away is a different village), the village
    is known only by the town it is near (ACLED's rule for unlisted villages: the nearest known place)."""
    for k, m in enumerate(ments):
        ref = final.get(k)
        if ref is None or out[k].role != "reference point" or not _NEAR_BEFORE.search(text[max(0, m.start - 80):m.start]):
            continue
        subj = [j for j, p in enumerate(ments[:k]) if p.sentence == m.sentence and m.start - p.end <= 40]
        if not subj:
            continue
        j = subj[-1]
        cur = final.get(j)
        if (cur is None or out[j].level != "populated place" or ments[j].key == m.key
                or g.feature(ref) in _MAJOR or g.km(cur, ref) <= NEAR_KM):
            continue
        close = [i for i, _, _ in cands[j] if g.feature(i) not in _MAJOR and g.km(i, ref) <= NEAR_KM]
        new = close[0] if close else ref
        out[j] = dataclasses.replace(out[j], place=g.place(new), qualifier=None if close else "near")
        final[j] = new


def _veto_out_of_focus(g: Gazetteer, ments: list[Mention], base: list[dict[int, float]], total, parts) -> None:
    """In a document clearly about one country, a small foreign namesake is not the place meant.

    When the rest of the document points at one country (share >= 0.5, weight >= 1), candidates outside
    the focus countries are dropped unless they are countries, regions, provinces or cities of 200k+; a
    name left without candidates stays unresolved (most likely a village the gazetteer lacks).
    """
    for k, sc in enumerate(base):
        if not sc:
            continue
        own = parts[k]
        rest = {c: v - own.get(c, 0.0) for c, v in total.items()}
        weight = sum(v for v in rest.values() if v > 0)
        focus = _normalized(rest)
        if weight < 0.4 or not focus or focus[0][1] < 0.5:
            continue
        keep = {c for c, share in focus if share >= 0.15}
        # a name matched only by its spelling skeleton ("Marj" for Marenj), or only as a foreign district, is a
        # guess: weaker evidence (one demonym, one named group) is enough to drop such foreign readings
        if weight < 1.0:
            fuzzy = {i for i, _, via in _cands(g, ments[k]) if via or g.is_boundary(i)}
            if weight < 0.5:
                fuzzy = {i for i in fuzzy if g.is_boundary(i)}
        else:
            fuzzy = set(sc)
        exact = {i for i, alt, via in _cands(g, ments[k]) if not alt and not via}
        for i in list(sc):
            if g.country_code_of(i) in keep:
                continue
            if i not in fuzzy or g.feature(i) in _MAJOR or int(g.pop[i]) >= 200_000:
                continue
            if i in exact and weight < 2.0 and (ments[k].attrs.get("locative") or ments[k].attrs.get("cue")):
                # a place told as a place ("in Montego Bay") by its own main name, against one other
                # name's country ("Saint James Parish", also a Louisiana one): too little to call the town
                # a foreign namesake
                continue
            del sc[i]


def _confidence(sc: dict[int, float], i: int | None) -> float:
    if i is None or not sc:
        return 0.0
    vals = sorted(sc.values(), reverse=True)
    margin = vals[0] - vals[1] if len(vals) > 1 else 5.0
    return round(1.0 / (1.0 + math.exp(-(margin - 0.5))), 3)


def _prefer_city(g: Gazetteer, m: Mention, i: int | None, cands) -> int | None:
    """A bare "Homs" is the city, not the province named after it (unless the text says province)."""
    if i is None or g.feature(i) != "ADM1" or (m.attrs.get("cue") and m.attrs.get("level") == "admin1"):
        return i
    cc, a1 = g.country_code_of(i), g.admin1_of(i)
    seat = g.seat(i)
    for j, alt, _ in cands:
        if g.feature(j) in ("PPL", "PPLC") and g.country_code_of(j) == cc and g.admin1_of(j) == a1 \
                and (not alt or g.pop[j] >= 1_000_000 or j == seat) and g.pop[j] >= 0.02 * g.pop[i]:
            # an alternate spelling counts when it names the province's own capital ("Vinnytsia" for
            # Vinnytsya, "Lattakia" for Latakia); other alternates can be a state's name ("Para" for Belem)
            return j
    return i


_AREA_GAP_WORDS = (r"district|province|governorate|state|region|county|municipality|sub-?district|lga|rayon|raion|"
                   r"oblast|department|commune|village|town|city|area|sector|upazila|subdivision|township|locality|"
                   r"neighbou?rhood|territory|tehsil|woreda|chiefdom|cercle|"
                   # facilities and landmarks named after a place: "Al Alam military camp (Marib, Marib)"
                   r"camp|base|military|checkpoint|crossing|junction|front(?:line)?|valley|mountains?|airport|"
                   r"airbase|market|bridge")
# "X, Y", "X (Y", "X district in Y" and, after an area word only, "X district of Y"
_CONTAIN_GAP = re.compile(
    rf"^(?:(?:\s+(?:{_AREA_GAP_WORDS})){{0,2}}(?:,\s*|\s+\(|\s+in\s+(?:the\s+)?)|(?:\s+(?:{_AREA_GAP_WORDS})){{1,2}}\s+of\s+"
    # "X in the southern countryside of Y", "X on the northern outskirts of Y", "X, in rural Y"
    r"|(?:\s+(?:village|town|area|front))?,?\s+(?:in|on|at)\s+(?:the\s+)?(?:(?:north|south|east|west)(?:ern)?\s+|"
    r"(?:north|south)-?(?:east|west)(?:ern)?\s+)?(?:countryside|outskirts|suburbs|rural\s+areas|parts?)\s+of\s+"
    r"|(?:\s+(?:village|town|area))?,?\s+in\s+rural\s+)$",
    re.IGNORECASE)


# "X, Y" with Y a city this big: X's reading this close to it is a part of the city
BIG_CITY_POP = 500_000
CITY_PART_KM = 25.0


def _apply_containment(g: Gazetteer, text: str, ments: list[Mention], cands, base) -> None:
    """"X, Y", "X (Y)", "X district, Y", "X, Y, Z province": Y (or Z), a province or country, names where X is.

    X's readings inside Y's province gain most, inside Y's country less (only when Y can be a country).
    When Y can only be a province and none of X's readings (all small towns) lies in it, the gazetteer
    lacks X: its namesakes elsewhere are dropped so that the event falls back to the province.
    """
    for k in range(len(ments) - 1):
        a = ments[k]
        if not _CONTAIN_GAP.match(text[a.end:ments[k + 1].start]) or not cands[k + 1]:
            continue
        y = k + 1
        # "San Juan, Lagunillas, Merida state": a province named with its area word two steps on
        if k + 2 < len(ments) and text[ments[k + 1].end:ments[k + 2].start] == ", " and \
                ments[k + 2].attrs.get("cue") and ments[k + 2].attrs.get("level") == "admin1" and cands[k + 2]:
            y = k + 2
        elif _ahead_in_list(text, ments, k) and "(" not in text[a.end:ments[k + 1].start]:
            continue  # "Aleppo, Idlib, Hama": a list of places, not a place and its province (but
            # "Bamba (Koro, Mopti)" is a village, its district and its province)
        ys = cands[y]
        # provinces and districts Y may be, by (country, province); towns Y may be (a district is often
        # named after its seat: "Kyavinyonge (Beni, Nord-Kivu)") only nudge X's reading
        y_feats = ("ADM1",) if ments[y].attrs.get("cue") and ments[y].attrs.get("level") == "admin1" and any(
            g.feature(i) == "ADM1" for i, _, _ in ys) else ("ADM1", "ADM2")
        y_ids = {i for i, _, _ in ys if g.feature(i) in y_feats}
        a1s = {(g.country_code_of(i), (g.admin1_of(i) or "")) for i in y_ids}
        towns = {(g.country_code_of(i), (g.admin1_of(i) or "")) for i, _, _ in ys
                 if g.feature(i) in ("PPL", "PPLC") and int(g.pop[i]) >= 5000} - a1s
        held = _province_after(g, text, ments, cands, y)
        if held:
            # "Bamba (Koro, Mopti)": Y's district inside the province told after it; "Hyderabad city
            # (Hyderabad, Sindh)": no district of Y's name is known in Sindh, so Sindh says where X lies
            a1s = (a1s & held) or held
        pcl = {g.country_code_of(i) for i, _, _ in ys if g.feature(i) == "PCLI"}
        if not a1s and not pcl:
            for i in list(base[k]):
                if (g.country_code_of(i), g.admin1_of(i) or "") in towns:
                    base[k][i] += 3.0
            continue
        hit_x = False
        # "X, Y state": the area word makes Y's reading certain, and so X's reading inside it
        stated = bool(ments[y].attrs.get("cue")) and ments[y].attrs.get("level") in ("admin1", "admin2")
        inside = 8.0 if stated else 6.0
        for i in list(base[k]):
            if i in y_ids:
                continue  # "Colon (Colon)": X is the town of Y's name, not the province Y itself
            if (g.country_code_of(i), g.admin1_of(i) or "") in a1s:
                base[k][i] += inside
                hit_x = True
            elif g.country_code_of(i) in pcl:
                base[k][i] += 4.0
                hit_x = True
            elif any(g.country_code_of(i) == cc for cc, _ in a1s) and not held:
                # "Mambasa, Ituri": a reading in the province's country, its own province unsure in the
                # gazetteer, beats a namesake abroad ("Mombasa") (not when a province after Y makes it sure)
                base[k][i] += 3.0
        # only a province (or an area word) says for sure that Y is where X lies: "Barcelona, Liverpool"
        # lists two clubs although a district is called Liverpool
        told = stated or bool(held)
        sure = told or any(g.feature(i) == "ADM1" for i, _, _ in ys)
        a1_ccs = {cc for cc, _ in a1s}
        if hit_x and not told and y == k + 1:
            # "Kadikoy, Istanbul": Y is also a big city of its province, and of X's readings there the one
            # in or by the city is the quarter meant, not a same-named village at the province's edge
            cities = [i for i, _, _ in ys if g.feature(i) in ("PPL", "PPLC") and int(g.pop[i]) >= BIG_CITY_POP
                      and (g.country_code_of(i), g.admin1_of(i) or "") in a1s]
            near = {i for i in base[k] if g.min_km(i, cities, CITY_PART_KM) <= CITY_PART_KM} if cities else ()
            for i in list(base[k]) if near else ():
                if i not in near:
                    base[k][i] -= 4.0
        if not hit_x and held and y_ids:
            # "Hammanskraal (City of Tshwane, Gauteng)": GeoNames puts the town just over the province's
            # border; a reading near the district told is still the town meant
            for i in list(base[k]):
                if any(g.km(i, j) <= TOLD_DISTRICT_KM for j in y_ids):
                    base[k][i] += inside
                    hit_x = True
        if not hit_x and not pcl and base[k] and sure and (
                told or _all_small(g, base[k], {i for i, alt, _ in cands[k] if alt and g.is_boundary(i)})
                or not any(g.country_code_of(i) in a1_ccs for i in base[k])):
            # "Slavne, Donetsk": no town of that name in the stated province, so the gazetteer lacks
            # the village; a namesake elsewhere (even a big city abroad: "Ahmadabad district, Paktia")
            # would be wrong, the province is right
            base[k].clear()
            continue
        comma = text[a.end:ments[y].start].lstrip().startswith(",")
        if not hit_x and pcl and base[k] and not any(g.country_code_of(i) in pcl for i in base[k]) and (
                (comma and all(int(g.pop[i]) < 1_000_000 for i in base[k]))
                or (a.attrs.get("cue") and _all_small(g, base[k]))):
            # "Bada, Central African Republic", "the village of Bada in the Central African Republic": the
            # country is told and no village of that name lies in it, so the gazetteer lacks the village; a
            # namesake abroad (in India) would be thousands of km off, the country is right (not for a bare
            # "X in Y", which may be a name: "St. Gregory of Narek in Vatican")
            base[k].clear()
            continue
        if hit_x:
            xs = {g.country_code_of(i) for i in base[k]}
            for i in list(base[y]):
                if g.country_code_of(i) in xs and g.feature(i) in ("PCLI", "ADM1", "ADM2"):
                    base[y][i] += 2.0


def _province_after(g: Gazetteer, text: str, ments: list[Mention], cands, y: int) -> set:
    """"X (Y, Z)": the (country, province) pairs Z may be, when Z is a province told right after Y."""
    z = y + 1
    if z >= len(ments) or not _LIST_COMMA.match(text[ments[y].end:ments[z].start]):
        return set()
    return {(g.country_code_of(i), g.admin1_of(i) or "") for i, _, _ in cands[z] if g.feature(i) == "ADM1"}


def _all_small(g: Gazetteer, sc: dict[int, float], villages=()) -> bool:
    """Only villages and towns (no area, no city of 100k+) among the candidates; ``villages`` are areas that
    count as villages (councils found by their seat village's name)."""
    return all((g.feature(i) in ("PPL", "OTHER", "S", "T", "L") or i in villages) and int(g.pop[i]) < 100_000
               for i in sc)


def _ahead_in_list(text: str, ments: list[Mention], k: int) -> bool:
    """Mention k+1 is followed by ", Z" or " and Z": the pair is part of an enumeration."""
    if k + 2 >= len(ments):
        return False
    gap = text[ments[k + 1].end:ments[k + 2].start]
    return gap in (", ", " and ", ", and ")


def _apply_statement(g: Gazetteer, st: dict, cands, base) -> None:
    km, brg = st["stated_km"], st["stated_bearing"]
    sk, rk = st["subject"], st["reference"]
    best = None
    for i, _, _ in cands[sk][:15]:
        for j, _, _ in cands[rk][:15]:
            mk = g.km(j, i)
            mb = bearing(float(g.lat[j]), float(g.lon[j]), float(g.lat[i]), float(g.lon[i]))
            if _consistent(km, brg, mk, mb):
                s = base[sk].get(i, 0) + base[rk].get(j, 0) - abs(mk - km) / 10.0
                if best is None or s > best[0]:
                    best = (s, i, j)
    if best is not None:
        base[sk][best[1]] = base[sk].get(best[1], 0) + 10.0
        base[rk][best[2]] = base[rk].get(best[2], 0) + 10.0


def _role(text: str, m: Mention, ments: list[Mention], stmts: list[dict], k: int,
          g: Gazetteer | None = None) -> str:
    if any(st["reference"] == k for st in stmts):
        return "reference point"
    if g is not None and _border_reference(text, m, g):
        return "reference point"
    before = text[max(0, m.start - 80):m.start]
    if _ORIGIN_BEFORE.search(before):
        return "origin"
    if m.attrs.get("outlet") or _SPOKEN_BEFORE.search(before):
        return "speaker"  # (a news outlet's name, "Sahel Presse", speaks too)
    if _NEAR_BEFORE.search(before):
        # "near Y" is a reference point when another place of the same sentence is the subject
        prev = [p for p in ments if p.sentence == m.sentence and p.end <= m.start and m.start - p.end <= 40]
        if prev:
            return "reference point"
    if _TOWARDS_BEFORE.search(before) and any(p.sentence == m.sentence and p.end <= m.start for p in ments):
        # "in Sain Alto, three women were found dead on the road towards Jose Maria Morelos": a destination,
        # when the sentence has told a place before it
        return "reference point"
    return "other"


# ------------------------------------------------------------------------------------------------
# "Murree road", "Armas square": a town's name used for a road or a square is not where an event was
@functools.cache
def _facility_after() -> re.Pattern:
    """Words after a name that make it the name of a thing in a town ("Murree road", "Los Angeles cemetery",
    "San Fernando company"): the recognizer's street and facility words (place_stopwords.yaml)."""
    from sitrep.nlp.places import facility_words, street_words  # (imported here: nlp imports us)

    words = set(street_words()) | set(facility_words())
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"\s*(?:-\s*[\w' -]{{0,30}}\s)?(?:{alt})s?\b", re.IGNORECASE)


def names_facility(text: str, pm: PlaceMention) -> bool:
    """The place name is part of a road's, a square's or a building's name ("on Murree road in
    Rawalpindi", "buried in Los Angeles cemetery")."""
    return bool(_facility_after().match(text, pm.span.end))


_UNKNOWN_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][\w'’]+(?:[\s-]+(?:(?:al|el|ad|ar|ash|as|de|del|la)[\s-]+)?[A-Z][\w'’]+){0,3})"
    r"(?P<area>\s+(?:village|town|locality|area|camp|hamlet|neighbou?rhood|sector|settlement)s?)?"
    r"(?:\s+(?P<paren>\()|,\s+)$")


def _contains(outer, inner) -> bool:
    """``outer`` (a Place) is an area or a bigger town that holds ``inner`` (a Place)."""
    if outer.geonameid == inner.geonameid or outer.country_code != inner.country_code:
        return False
    f = outer.feature_code or ""
    if f == "PCLI":
        return True
    if not outer.admin1 or outer.admin1 != inner.admin1:
        return False
    if f in ("ADM1", "ADM2"):
        return True
    # "Al Bab in Aleppo", "Majzar district (Marib)": a town named after a smaller one of its province
    return f in ("PPL", "PPLC") and (outer.population or 0) > (inner.population or 0)


# "X, Y" with Y a city: an X farther than this from Y is not a part of Y, so not what the text means
PART_KM = 25.0
_PART_AFTER = re.compile(r"\s+(?:neighbou?rhoods?|quarter|community|district\s+of\s+the\s+city)\b", re.IGNORECASE)


@functools.cache
def _part_before() -> re.Pattern:
    """"in colonia Lomas de San Miguel", "from Residencial Los Lagos": a neighbourhood word before the name."""
    from sitrep.nlp.places import neighbourhood_words  # the recognizer's list

    return re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(neighbourhood_words())))})\s+$", re.IGNORECASE)


@functools.cache
def _tail_before() -> re.Pattern:
    """"Villa del Caribe": a capitalised word and a particle before the name, so the name matched is only
    the tail of a longer one the gazetteer lacks."""
    from sitrep.nlp.places import name_continuers  # the recognizer's list

    words = "|".join(map(re.escape, sorted(name_continuers())))
    return re.compile(rf"(?<![\w'’-])[A-Z][\w'’]+[\s-]+(?:{words})[\s-]+$")


def tail_of_longer_name(text: str, start: int) -> bool:
    """The name at ``start`` is part of a longer one: after a neighbourhood word ("Residencial Los Lagos")
    or after a capitalised word and a particle ("Villa del Caribe")."""
    before = text[max(0, start - 30):start]
    return bool(_part_before().search(before) or _tail_before().search(before))


def names_part(text: str, pm: PlaceMention) -> bool:
    """"in Guama neighborhood": the name of a part of a town, which the gazetteer may give to a village
    elsewhere."""
    if _PART_AFTER.match(text, pm.span.end) or _part_before().search(text[max(0, pm.span.start - 30):pm.span.start]):
        return True
    first = pm.span.text.split(maxsplit=1)[0].lower() if pm.span.text.strip() else ""
    return " " in pm.span.text.strip() and _part_before().search(first + " ") is not None


# "X (District, Province)": the farthest a town may lie from the district's seat to be read as inside it
TOLD_DISTRICT_KM = 60.0
_LIST_COMMA = re.compile(r"^,\s*$")
_PAREN_COMMA = re.compile(r"^\),\s*$")
_LIST_AND = re.compile(r"^,?\s+and\s+$")


def _admin_norm(name: str | None) -> str:
    return name_key(name) if name else ""


def _triples(ps: list[PlaceMention]):
    """Each mention with its next two (the third None at the end)."""
    for i in range(len(ps) - 1):
        yield ps[i], ps[i + 1], (ps[i + 2] if i + 2 < len(ps) else None)


def containment_roles(text: str, places: list[PlaceMention]) -> tuple[set[int], set[int], set[int], set[int]]:
    """Span starts of (containers, contained, hosts, parts) among the place mentions of a text.

    In "X, Y", "X (Y)", "X (Y, Z)", "X district, Y", "X in Y" the later name says where the earlier one
    lies: when X is resolved inside Y, Y is a container (never the event's place over X) and X is
    "contained" (confirmed by its province); when X is unresolved (a village the gazetteer lacks), Y
    is its host, which ACLED codes as the event's place known less exactly.  When X is a small place far
    from the city Y ("in Diliman, Quezon City"), X is a part of Y that the gazetteer lacks (parts).
    """
    ps = [p for p in places if p.level != "demonym"]
    containers: set[int] = set()
    contained: set[int] = set()
    hosts: set[int] = set()
    parts: set[int] = set()
    known_ends = {p.span.end for p in ps}
    for b in ps:
        # "Kwanzabiri village (Beni, ...)", "Tell Hawa village, Hama": a name the gazetteer does not know
        m = _UNKNOWN_BEFORE.search(text, max(0, b.span.start - 80), b.span.start)
        if b.place is not None and m and m.end() == b.span.start and m.end("name") not in known_ends and \
                (m.group("paren") or m.group("area")):
            hosts.add(b.span.start)
    for a, b, c in _triples(ps):
        if a.place is None or b.place is None or c is None or c.place is None \
                or a.place.country_code != b.place.country_code or b.place.country_code != c.place.country_code:
            continue
        ab, bc = text[a.span.end:b.span.start], text[b.span.end:c.span.start]
        province = c.level == "admin1" or (
            # "Kahramankazan (Kazan), Ankara": a city named like its province stands for the province
            c.place.feature_code in ("PPL", "PPLC") and _admin_norm(c.place.admin1) == _admin_norm(c.place.name))
        c_area = _admin_norm(c.place.admin1 or c.place.name)
        if _LIST_AND.match(ab) and _CONTAIN_GAP.match(bc) and province and \
                _admin_norm(a.place.admin1) == c_area == _admin_norm(b.place.admin1):
            # "in the cities of Mandaguari and Perola, Parana": the province holds both towns of the list
            containers.add(c.span.start)
            contained.update((a.span.start, b.span.start))
            continue
        # "in Shahdadpur town (Sanghar, Sindh)", "Kahramankazan (Kazan), Ankara": a district told between a
        # town and its province holds the town even when it is the smaller place, or the gazetteer puts the
        # town just over a border; the province must hold one of the two, and the town lie near the
        # district's seat (in brackets the district may lie farther: "Sehwan Sharif town (Jamshoro, Sindh)")
        if not province or not _CONTAIN_GAP.match(ab) or not (_LIST_COMMA.match(bc) or _PAREN_COMMA.match(bc)):
            continue
        held = {_admin_norm(a.place.admin1), _admin_norm(b.place.admin1)}
        bracketed = "(" in ab and _admin_norm(a.place.admin1) == c_area
        if c_area in held and (bracketed or haversine(a.place.lat, a.place.lon, b.place.lat, b.place.lon)
                               <= TOLD_DISTRICT_KM):
            containers.update((b.span.start, c.span.start))
            contained.add(a.span.start)
    for a, b in itertools.pairwise(ps):
        if b.place is None or not _CONTAIN_GAP.match(text[a.span.end:b.span.start]):
            continue
        if a.place is None:
            hosts.add(b.span.start)
        elif _contains(b.place, a.place):
            containers.add(b.span.start)
            contained.add(a.span.start)
        elif (b.place.feature_code in ("PPL", "PPLC") and (b.place.population or 0) >= 100_000
              and a.level == "populated place"  # "Sain Alto municipality, Zacatecas": no part of the city
              and (a.place.population or 0) < (b.place.population or 0)
              and haversine(a.place.lat, a.place.lon, b.place.lat, b.place.lon) > PART_KM):
            parts.add(a.span.start)
            hosts.add(b.span.start)
    return containers, contained, hosts, parts

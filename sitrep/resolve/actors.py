"""Actor mentions -> ACLED-style actors (sitrep.model.ActorRef).

Named actors come from sitrep/data/actors.yaml, generic ones ("gunmen", "regime forces", "villagers")
from generic_actors.yaml filled with the event's country from countries.yaml.  Rules (ACLED practice):
- state forces acting outside their own country are "external/other forces" (inter 8);
- a group outside its `valid` years is named by its registered successor (Nusra Front after 2016 -> HTS);
- one phrase naming different actors in different countries ("SNA") is decided by the event's country.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from sitrep.model import ActorRef, Mention, Span
from sitrep.nlp.actors import ActorEntry, Registry, registry


class ActorResolver:
    def __init__(self, reg: Registry | None = None) -> None:
        self.reg = reg or registry()
        # speed: names built from the registry's templates and state names, per (what, country, year): the
        # same few are asked for every report
        self._names: dict[tuple, str] = {}
        # speed: resolve's reading (name, inter, country, actor_id) per (mention key, class, own country, event
        # country, year), for mentions without country-qualified candidates: it depends on nothing else
        self._refs: dict[tuple, tuple[str, int, str | None, str | None]] = {}

    # ---- registry access
    def get(self, actor_id: str) -> ActorEntry | None:
        return self.reg.actors.get(actor_id)

    def name_of(self, actor_id: str, country: str | None = None, date: dt.date | None = None) -> str:
        e = self._current(self.reg.actors[actor_id], date.year if date else None)
        return self.reg.entry_name(e, date.year if date else None, country)

    def _current(self, e: ActorEntry, year: int | None) -> ActorEntry:
        seen = {e.id}
        while not e.valid_in(year) and e.successor and e.successor not in seen:
            e = self.reg.actors[e.successor]
            seen.add(e.id)
        return e

    # ---- resolution
    def resolve(self, mention: Mention, country: str | None, date: dt.date | None = None,
                article_id: str = "") -> ActorRef:
        """ACLED-style actor for one mention; `country` is the ISO2 of the event's country."""
        year = date.year if date else None
        spans = [Span(article_id, mention.start, mention.end, mention.text)]
        attrs = mention.attrs
        memo = None
        if not attrs.get("candidates"):
            # speed: the same few actors are resolved over and over (every report's roles, every default
            # actor); without candidates the reading depends only on these (see _read)
            memo = (mention.key, attrs.get("class"), attrs.get("country"), country, year)
            got = self._refs.get(memo)
            if got is not None:
                return ActorRef(name=got[0], inter=got[1], country=got[2], actor_id=got[3], spans=spans)
        ref = self._read(mention, country, year, spans)
        if memo is not None:
            self._refs[memo] = (ref.name, ref.inter, ref.country, ref.actor_id)
        return ref

    def _read(self, mention: Mention, country: str | None, year: int | None, spans: list[Span]) -> ActorRef:
        key = self._pick(mention, country)
        if key.startswith(("generic:", "ethnic:")):
            if not mention.key.startswith(("generic:", "ethnic:")):
                # a named force's alias read as the event country's own force: its registry country goes
                mention = dataclasses.replace(mention, attrs={k: v for k, v in mention.attrs.items()
                                                              if k not in ("country", "class")})
            return self._generic(key, mention, country, year, spans)
        if key not in self.reg.actors:
            raise KeyError(f"unknown actor id {key!r}")
        return self._named(key, country, year, spans)

    def _pick(self, mention: Mention, country: str | None) -> str:
        cands = mention.attrs.get("candidates") or []
        if country:
            for key, qualifier in cands:
                if qualifier == country:
                    return key
            for key, qualifier in cands:
                e = self.reg.actors.get(key)
                if qualifier is None and e is not None and e.country == country:
                    return key
            e = self.reg.actors.get(mention.key)
            if cands and all(q for _, q in cands) and e is not None and e.state in ("police", "military"):
                # an alias that names one country's force ("municipal police (Mexico)") said of an event
                # elsewhere is that country's own police or army
                return f"generic:{e.state}"
            if cands and all(q for _, q in cands) and e is not None and not e.state:
                # an alias that names one country's group ("resistance fighters" in Myanmar) said of an event
                # elsewhere names no group the registry knows there
                return "generic:unidentified"
        return mention.key

    def _named(self, key: str, country: str | None, year: int | None, spans: list[Span]) -> ActorRef:
        e = self._current(self.reg.actors[key], year)
        inter = e.inter
        if e.state and e.country and country and e.country != country:
            inter = 8
        name = self._names.get(("entry", e.id, year, country))
        if name is None:
            name = self._names[("entry", e.id, year, country)] = self.reg.entry_name(e, year, country)
        return ActorRef(name=name, inter=inter, country=e.country or country, actor_id=e.id, spans=spans)

    def _generic(self, key: str, mention: Mention, country: str | None, year: int | None,
                 spans: list[Span]) -> ActorRef:
        if key.startswith("ethnic:"):
            group = key.removeprefix("ethnic:")
            name = self._fill(self.reg.ethnic["template"], country, year, group)
            return ActorRef(name=name, inter=self.reg.generic_inter("ethnic"), country=country, spans=spans)
        cls = mention.attrs.get("class") or key.removeprefix("generic:")
        spec = self.reg.classes[cls]
        own = mention.attrs.get("country")  # from a demonym: "Israeli troops"
        if not own and country and country in (spec.get("country_default") or {}):
            return self._named(spec["country_default"][country], country, year, spans)
        cc = own or country
        inter = int(spec.get("inter", 0))
        if own and country and own != country and cls in ("military", "police", "government"):
            inter = 8
        # a country's own convention for the class ("Unidentified Gang and/or Police Militia" in Brazil)
        template = (spec.get("templates_by_country") or {}).get(cc or "", spec["template"])
        return ActorRef(name=self._fill(template, cc, year), inter=inter, country=cc, spans=spans)

    def _fill(self, template: str, cc: str | None, year: int | None, group: str = "") -> str:
        key = ("fill", template, cc, year, group)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = self._fill_name(template, cc, year, group)
        return name

    def _fill_name(self, template: str, cc: str | None, year: int | None, group: str = "") -> str:
        if not cc:  # no country known: drop the country part ("Unidentified Armed Group")
            return template.replace(" ({country})", "").replace(" of {state}", "").format(group=group)
        state = self.reg.state_force_name("military", cc, year).removeprefix("Military Forces of ")
        return template.format(country=self.reg.country_name(cc), state=state, group=group)

    # ---- coalitions and relations
    def members(self, actor_id: str, date: dt.date | None = None) -> set[str]:
        """Ids of the actors registered as member_of `actor_id` (directly or through sub-coalitions)."""
        year = date.year if date else None
        out: set[str] = set()
        frontier = [actor_id]
        by_parent = self._members_index()
        while frontier:
            parent = frontier.pop()
            for eid, lo, hi in by_parent.get(parent, ()):
                if eid not in out and _within(year, lo, hi):
                    out.add(eid)
                    frontier.append(eid)
        return out

    def _members_index(self) -> dict[str, list[tuple[str, int | None, int | None]]]:
        """Speed: the registry's member_of relations by their target, (member id, from, to) in registry order,
        made once per registry (members() walked every entry for every coalition it expanded)."""
        actors = self.reg.actors
        cached = self.__dict__.get("_member_index")
        if cached is None or cached[0] is not actors or cached[1] != len(actors):
            index: dict[str, list[tuple[str, int | None, int | None]]] = {}
            for e in actors.values():
                for kind, target, lo, hi in e.relations:
                    if kind == "member_of":
                        index.setdefault(target, []).append((e.id, lo, hi))
            cached = (actors, len(actors), index)
            self.__dict__["_member_index"] = cached
        return cached[2]

    def is_member(self, a_id: str, b_id: str, date: dt.date | None = None) -> bool:
        return a_id in self.members(b_id, date)

    def related(self, actor_id: str, kind: str, date: dt.date | None = None) -> set[str]:
        """Targets of `actor_id`'s relations of one kind (member_of, allied_with, affiliate_of)."""
        e = self.reg.actors[actor_id]
        year = date.year if date else None
        return {t for k, t, lo, hi in e.relations if k == kind and _within(year, lo, hi)}

    # ---- ACLED interaction code
    @staticmethod
    def interaction(inter1: int, inter2: int | None = None) -> int:
        """The two inter codes, lower first (12 for state forces vs rebels); 10*inter1 without actor2."""
        if not inter2:
            return 10 * inter1
        lo, hi = sorted((inter1, inter2))
        return 10 * lo + hi


def _within(year: int | None, lo: int | None, hi: int | None) -> bool:
    return year is None or ((lo is None or year >= lo) and (hi is None or year <= hi))

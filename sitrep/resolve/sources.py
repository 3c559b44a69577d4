"""Sources of claims (sitrep/data/sources.yaml): monitors, state media, news agencies, armed-group
channels, officials, witnesses, unnamed sources."""
from __future__ import annotations

from sitrep.model import ActorRef, Mention, Source
from sitrep.nlp.actors import Registry, registry

KINDS = ("monitor", "state media", "armed group channel", "news agency", "official", "witness", "unnamed")


class SourceRegistry:
    def __init__(self, reg: Registry | None = None) -> None:
        self.reg = reg or registry()
        for sid, s in self.reg.sources.items():
            if s.get("kind") not in KINDS:
                raise ValueError(f"sources.yaml: {sid}: unknown kind {s.get('kind')!r}")

    def get(self, source_id: str) -> Source | None:
        """A registered source, or an armed group's own channel for ids "channel:<actor id>"."""
        if source_id.startswith("channel:"):
            e = self.reg.actors.get(source_id.removeprefix("channel:"))
            if e is None:
                return None
            return Source(id=source_id, name=self.reg.entry_name(e), kind="official" if e.state else
                          "armed group channel", country=e.country)
        s = self.reg.sources.get(source_id)
        if s is None:
            return None
        return Source(id=s["id"], name=s["name"], kind=s["kind"], aliases=list(s.get("aliases") or []),
                      country=s.get("country"))

    def kind_of(self, mention: Mention) -> str:
        """Source kind of a source mention, or of an actor speaking for itself (state forces: official)."""
        if mention.kind == "source":
            src = self.get(mention.key)
            return src.kind if src else mention.attrs.get("kind", "unnamed")
        if mention.kind == "actor":
            if mention.attrs.get("generic"):
                cls = mention.attrs.get("class")
                if cls in ("military", "police", "government"):
                    return "official"
                return "witness" if cls in ("civilians", "protesters") else "unnamed"
            return "official" if mention.attrs.get("inter") == 1 else "armed group channel"
        return "unnamed"

    def from_actor(self, actor: ActorRef) -> Source:
        """An actor's own statements as a source: state forces -> official, armed groups -> their channel."""
        kind = "official" if actor.inter in (1, 8) and self._is_state(actor) else "armed group channel"
        if actor.inter in (5, 6, 7):
            kind = "witness"
        sid = f"channel:{actor.actor_id}" if actor.actor_id else f"actor:{actor.name}"
        return Source(id=sid, name=actor.name, kind=kind, country=actor.country)

    def _is_state(self, actor: ActorRef) -> bool:
        if actor.actor_id and actor.actor_id in self.reg.actors:
            e = self.reg.actors[actor.actor_id]
            return bool(e.state) or e.inter == 1
        return actor.name.startswith(("Military Forces of", "Police Forces of", "Government of"))

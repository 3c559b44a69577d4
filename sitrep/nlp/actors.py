"""Actor and source mentions from the registries (sitrep/data/actors.yaml, sources.yaml, generic_actors.yaml).

CONTRACT: ActorMatcher().find(doc: AnalyzedDoc) -> list[Mention]
  kind="actor": key = registry actor id, or "generic:<class>" (military, police, gunmen, rebels,
                civilians, protesters, rioters, ...); attrs: {"inter": int, ...}
  kind="source": key = source id; attrs: {"kind": source kind, "name": canonical name}
"""

"""Place-name recognition by gazetteer matching over tokens.

CONTRACT: PlaceMatcher(gazetteer).find(doc: AnalyzedDoc) -> list[Mention]
  kind="place", key=the gazetteer lookup key; attrs may carry "level", "qualifier", "candidates".
  kind="demonym" for demonyms (country context, not event places), key=ISO country code.
"""

"""Event trigger words from the trigger lexicon (sitrep/data/triggers.yaml).

CONTRACT: TriggerMatcher().find(doc) -> list[Mention] kind="trigger"; key = trigger class
  (e.g. "airstrike", "shelling", "clash", "capture", "kill", "abduct", "protest", ...), attrs from the lexicon.
"""

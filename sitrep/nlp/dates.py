"""Date and time expressions.

CONTRACT: DateMatcher().find(doc) -> list[Mention] kind="date"; attrs describe the expression
  (e.g. {"type": "explicit"|"relative"|"weekday"|"range"|"duration", "past_context": bool}).
"""

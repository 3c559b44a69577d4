"""Number expressions (digits, number words, vague amounts) with the vague-number rules.

CONTRACT: NumberMatcher().find(doc) -> list[Mention] kind="number";
  attrs: {"value": int, "low": int, "high": int|None, "vague": bool, "qualifier": str|None}
"""

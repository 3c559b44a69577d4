"""Whole-pipeline event coding on short reports written for the project (tests/data/coding_cases.yaml).

Each case runs through the real Pipeline; every expected event must come out (matched by sub-event type and
background flag) with each field the case gives equal to the output, and no current event of a sub-event
type the case does not expect may come out.  Cases failing because of another stage carry
``xfail: "<component>: <what goes wrong>"`` and are marked strict, so a fix there shows up as XPASS.
"""
from __future__ import annotations

import datetime as dt
import pathlib
from typing import Any

import pytest
import yaml

from sitrep.export import event_record

CASES_FILE = pathlib.Path(__file__).resolve().parent / "data" / "coding_cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]
FIELDS = ("event_type", "actor1", "actor2", "country", "location", "event_date", "time_precision", "fatalities")


def _value(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


def _published(case: dict[str, Any]) -> dt.date:
    p = case["published"]
    return p if isinstance(p, dt.date) else dt.date.fromisoformat(str(p))


def _show(records: list[dict[str, Any]]) -> str:
    keys = ("sub_event_type", "background") + FIELDS
    return "\n".join(str({k: r.get(k) for k in keys}) for r in records) or "(no events)"


def _best_match(expected: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any] | None:
    background = bool(expected.get("background", False))
    same = [r for r in records
            if r.get("sub_event_type") == expected["sub_event_type"] and bool(r.get("background")) == background]
    if not same:
        return None
    return max(same, key=lambda r: sum(r.get(f) == _value(expected[f]) for f in FIELDS if f in expected))


def test_cases_cover_every_sub_event_type():
    subs = {e["sub_event_type"] for c in CASES for e in c["events"]}
    assert len(subs) == 25, sorted(subs)
    assert len(CASES) >= 75
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_coding(case, pipeline, request):
    if case.get("xfail"):
        request.node.add_marker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    records = [event_record(ev) for ev in pipeline.extract(case["text"], published=_published(case))]
    current = [r for r in records if not r.get("background")]
    if not case["events"]:
        assert current == [], f"no current event expected, got:\n{_show(current)}"
        return
    for exp in case["events"]:
        got = _best_match(exp, records)
        assert got is not None, f"no {exp['sub_event_type']!r} event (background={exp.get('background', False)}) " \
                                f"in:\n{_show(records)}"
        for f in FIELDS + ("background",):
            if f in exp:
                assert got.get(f) == _value(exp[f]), f"{exp['sub_event_type']}: {f} = {got.get(f)!r}, " \
                                                     f"expected {_value(exp[f])!r}\n{_show(records)}"
    wanted = {e["sub_event_type"] for e in case["events"] if not e.get("background")}
    extra = [r for r in current if r.get("sub_event_type") not in wanted]
    assert not extra, f"unexpected current events:\n{_show(extra)}"

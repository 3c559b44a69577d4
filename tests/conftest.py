"""Shared fixtures: one Pipeline per test session (the gazetteer index loads once)."""
from __future__ import annotations

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def pipeline():
    from sitrep.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def shared_dir():
    if not (SHARED / "gold").is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED

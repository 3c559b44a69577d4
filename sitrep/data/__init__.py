"""Registries as data files: actors, sources, taxonomy and triggers, vague-number rules."""
from __future__ import annotations

import functools
import pathlib
from typing import Any

import yaml

from sitrep.errors import RegistryError

DATA_DIR = pathlib.Path(__file__).resolve().parent


@functools.cache
def load_yaml(name: str) -> Any:
    """Load ``sitrep/data/<name>`` (cached); a malformed file raises RegistryError naming it."""
    path = DATA_DIR / name
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: {exc}") from exc

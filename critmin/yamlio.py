"""YAML reading with libyaml when PyYAML has it: data/sources.yml (906 files) takes ≈0.7 s with the
pure-Python loader and ≈0.05 s with the C one, in every process that reads it."""
from __future__ import annotations

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def safe_load(stream):
    """yaml.safe_load, through the C loader where available (same safe constructors)."""
    return yaml.load(stream, Loader=Loader)


def safe_dump(data, **kwargs) -> str:
    return yaml.safe_dump(data, **kwargs)

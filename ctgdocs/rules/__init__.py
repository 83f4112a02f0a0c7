"""The domain rules a convention must follow beyond its schema."""

from __future__ import annotations

from typing import Any

from ..loader import Positions
from ..problems import Problem
from . import (
    actes,
    adoption,
    articles,
    avenants,
    competences,
    convention,
    plan,
    reunions,
    territoire,
)
from .base import Findings

_RULES = (
    convention.check,
    actes.check,
    articles.check,
    territoire.check,
    competences.check,
    plan.check,
    adoption.check,
    reunions.check,
    avenants.check,
)


def check_rules(doc: dict[str, Any], positions: Positions) -> list[Problem]:
    """Every domain problem of a (possibly half-valid) converted document."""
    findings = Findings(positions)
    for rule in _RULES:
        rule(doc, findings)
    return findings.problems

"""Bounds on one chat turn."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Budget:
    """Bounds on one turn: model calls, tokens and wall-clock seconds."""

    max_model_calls: int = 6
    max_tokens: int = 40_000
    max_seconds: float = 90.0

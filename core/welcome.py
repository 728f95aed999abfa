"""Steps on the welcome page, contributed by plugins through ``welcome_steps``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    url: str
    order: int = 100

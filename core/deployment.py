"""Checks of a deployment with several worker processes (gunicorn.conf.py runs them at start).

State that lives in one process's memory is not shared: with several workers each one counts
its own failed logins, so the limit of ten becomes ten per worker. The embedded default (one
process, ``scripts/run``) may keep it in memory; several workers need shared storage (Redis).
"""

from __future__ import annotations


def shared_state_problems(config: dict, workers: int) -> list[str]:
    """What is wrong with running ``workers`` processes on ``config``; empty when nothing is."""
    problems = []
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if workers > 1 and config.get("RATELIMIT_ENABLED", True) and storage.startswith("memory"):
        problems.append(
            f"{workers} workers with rate limits in memory ({storage}): every worker would count failed "
            "logins on its own. Set RATELIMIT_STORAGE_URI=redis://host:6379/0 (shared by all workers), "
            "or run one worker."
        )
    return problems

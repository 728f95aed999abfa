"""Steps on the welcome page, contributed by plugins through ``welcome_steps``.

The welcome page is a task list (the GOV.UK "task list" pattern): every step says
whether it is done and why (``reason``, e.g. "logo ontbreekt"). A step with
``done=None`` is a way in without a status (e.g. "Zoek in de catalogus").
"""

from __future__ import annotations

from dataclasses import dataclass

DONE, TO_DO = "Gedaan", "Nog te doen"


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    url: str
    order: int = 100
    #: True: done; False: still to do; None: no status (a place to go, not a task).
    done: bool | None = None
    #: Why, in a few words: "logo ontbreekt", "3 aanmeldingen wachten", "2 pakketten gepubliceerd".
    reason: str = ""

    @property
    def status(self) -> str:
        if self.done is None:
            return ""
        return DONE if self.done else TO_DO


def count_text(n: int, one: str, many: str) -> str:
    """``"1 pakket"`` / ``"3 pakketten"``: ``one`` and ``many`` hold ``{n}``."""
    return (one if n == 1 else many).format(n=n)

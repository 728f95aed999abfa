"""The rules around usage proposals that are not the propose/decide flow itself.

Interface used by ``plugins.f013_gebruik.proposals`` (the flow):

- ``check_may_propose(organisation, supplier, package)``: raises
  ``plugins.f013_gebruik.service.UsageRejected`` with a Dutch message when the
  municipality blocks the supplier, or the supplier proposes the same package again
  within the re-propose period after a rejection.

Filled in by the proposal-policy work (blocks, re-propose period, expiry, VNG queue,
merged or unpublished packages).
"""

from __future__ import annotations


def check_may_propose(organisation, supplier, package) -> None:
    """Refuse a proposal the policy forbids (raise ``UsageRejected``); see the module docstring."""
    return None

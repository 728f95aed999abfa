"""F004 claims through the shared tenancy matrix (the spec and its rights: tests/f004/support.py)."""

from __future__ import annotations

import pytest

from tests.f004.support import CLAIMS
from tests.support import tenancy_matrix as tm

matrix_env = tm.environment()


@pytest.mark.parametrize("cell", CLAIMS.cells())
def test_claims_tenancy(matrix_env, cell):
    tm.check(matrix_env, CLAIMS, cell)

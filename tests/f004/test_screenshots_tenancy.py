"""F004 screenshots through the shared tenancy matrix (the spec and its rights: tests/f004/support.py)."""

from __future__ import annotations

import pytest

from tests.f004.support import SCREENSHOTS
from tests.support import tenancy_matrix as tm

matrix_env = tm.environment()


@pytest.mark.parametrize("cell", SCREENSHOTS.cells())
def test_screenshots_tenancy(matrix_env, cell):
    tm.check(matrix_env, SCREENSHOTS, cell)

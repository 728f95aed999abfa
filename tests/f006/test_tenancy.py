"""f006_inzichten through the shared tenancy matrix (docs/plugins.md, Tenancy).

Describe each page and API of organisation-owned rows once as a ``tm.TenancySpec`` and add
it to SPECS (the example in tests/support/tenancy_matrix.py shows every field); the matrix
then makes one test per role x way in x own/other organisation. Until the plugin has such
a view the test is skipped, with that reason.
"""

from __future__ import annotations

import pytest

from tests.support import tenancy_matrix as tm

PLUGIN = "plugins.f006_inzichten.hooks"
SPECS: list[tm.TenancySpec] = []

matrix_env = tm.environment(plugins=[PLUGIN])  # also before the plugin is in DEFAULT_PLUGINS


@pytest.mark.skipif(not SPECS, reason="f006_inzichten has no view of organisation-owned rows yet; add its TenancySpec "
                                      "to SPECS in tests/f006/test_tenancy.py")
# (each cell is a pytest.param: keep its value and its readable id)
@pytest.mark.parametrize("spec, cell", [pytest.param(s, c.values[0], id=s.name + "-" + c.id)
                                        for s in SPECS for c in s.cells()] or [(None, None)])
def test_f006_tenancy(matrix_env, spec, cell):
    tm.check(matrix_env, spec, cell)

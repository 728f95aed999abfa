"""f010_lidmaatschap through the shared tenancy matrix (docs/plugins.md, Tenancy).

Describe each page and API of organisation-owned rows once as a ``tm.TenancySpec`` and add
it to SPECS (the example in tests/support/tenancy_matrix.py shows every field); the matrix
then makes one test per role x way in x own/other organisation. Until the plugin has such
a view the test is skipped, with that reason.
"""

from __future__ import annotations

import pytest

from tests.support import tenancy_matrix as tm

PLUGIN = "plugins.f010_lidmaatschap.hooks"
SPECS: list[tm.TenancySpec] = []

matrix_env = tm.environment(plugins=[PLUGIN])  # also before the plugin is in DEFAULT_PLUGINS


@pytest.mark.skipif(not SPECS, reason="f010_lidmaatschap has no view of organisation-owned rows yet; add its TenancySpec "
                                      "to SPECS in tests/f010/test_tenancy.py")
@pytest.mark.parametrize("spec, cell", [(s, c) for s in SPECS for c in s.cells()] or [(None, None)])
def test_f010_tenancy(matrix_env, spec, cell):
    tm.check(matrix_env, spec, cell)

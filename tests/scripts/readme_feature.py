"""The test module that runs the README's feature example (`readme.feature`) through the plugin.

`tests/test_readme.py` copies it beside the example into a pytester folder and runs pytest there,
so the example passes exactly as a user's own feature file would.
"""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("readme.feature")

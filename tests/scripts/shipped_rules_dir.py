"""Print where the installed modeadvisor finds its shipped rules.

Run by `tests/test_install.py` with the interpreter of a fresh virtual environment, from another
directory, so the answer shows whether the rules came with the package (not the source tree).
"""

from __future__ import annotations

from modeadvisor.knowledge import shipped_rules_dir

if __name__ == "__main__":
    print(shipped_rules_dir())

"""`import modeadvisor` imports nothing but the package: each public name when first asked for."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import modeadvisor


def test_every_public_name_is_its_module_s_own() -> None:
    where = modeadvisor._WHERE
    assert sorted(name for names in where.values() for name in names) == sorted(modeadvisor.__all__)
    for module, names in where.items():
        for name in names:
            assert getattr(modeadvisor, name) is getattr(importlib.import_module(module), name)
    assert set(modeadvisor.__all__) <= set(dir(modeadvisor))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        getattr(modeadvisor, "NoSuchThing")  # noqa: B009


def test_importing_the_package_imports_none_of_its_modules() -> None:
    code = "import sys, modeadvisor; print(sorted(m for m in sys.modules if 'modeadvisor' in m))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "['modeadvisor']"

"""The public boundary: every type a public name's signature mentions is itself public."""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Iterator

import pydantic

import modeadvisor
from modeadvisor import backends, knowledge, survey

#: Where a user may import public names from: the top level and the public sub-packages.
PUBLIC = {
    name: module for module in (modeadvisor, knowledge, backends, survey) for name in module.__all__
}


def _types(annotation: object) -> Iterator[type]:
    if typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            yield from _types(argument)
    elif isinstance(annotation, type):
        yield annotation


def _signature_types(obj: object) -> Iterator[tuple[str, type]]:
    if inspect.isclass(obj):
        if issubclass(obj, pydantic.BaseModel):
            for field, info in obj.model_fields.items():
                yield from ((field, t) for t in _types(info.annotation))
        if dataclasses.is_dataclass(obj):
            for field, hint in typing.get_type_hints(obj).items():
                yield from ((field, t) for t in _types(hint))
        for attr, member in vars(obj).items():
            if attr.startswith("_") and attr != "__init__":
                continue
            function = getattr(member, "__func__", member)
            function = function.fget if isinstance(function, property) else function
            if callable(function):
                for hint in typing.get_type_hints(function).values():
                    yield from ((attr, t) for t in _types(hint))
    elif inspect.isfunction(obj):
        for hint in typing.get_type_hints(obj).values():
            yield from (("", t) for t in _types(hint))


def test_every_type_in_a_public_signature_is_public() -> None:
    hidden = set()
    for name in modeadvisor.__all__:
        for where, kind in _signature_types(getattr(modeadvisor, name)):
            if kind.__module__.startswith("modeadvisor") and kind.__name__ not in PUBLIC:
                hidden.add(f"{name}.{where}: {kind.__module__}.{kind.__name__}")
    assert not hidden, sorted(hidden)


def test_public_names_are_unique_and_importable() -> None:
    for module in (modeadvisor, knowledge, backends, survey):
        assert len(set(module.__all__)) == len(module.__all__)
        for name in module.__all__:
            assert getattr(module, name) is not None


def test_the_version_comes_from_the_installed_metadata() -> None:
    from importlib.metadata import version

    assert modeadvisor.__version__ == version("modeadvisor")

"""Messages in the reader's language: gettext catalogues looked up by language, never installed.

The English text is the message id. Finnish lives in `locale/fi/LC_MESSAGES/modeadvisor.po`
(compiled beside it to `.mo` by `scripts/messages.py`); `argparse.po` holds argparse's own words.
Nothing here sets process state: no `gettext.install`, no `textdomain`, no global `_` — a
catalogue is asked for by language where a text is rendered, so two languages can be spoken
in one process (the server). gettext keeps each parsed file in its own cache.

A `Message` is an English `str` (JSON, the API and comparisons see the English text) that also
carries its template and arguments, so it can be rendered again in another language. Arguments
are inserted as they are: names the user wrote are never translated; numbers follow the
language's convention (`1 234,5` in Finnish); an argument that is itself a `Message` is
rendered in the same language.
"""

from __future__ import annotations

import gettext
import string
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Self

#: Where the compiled catalogues are: inside the package, so an installed wheel carries them.
LOCALE_DIR = Path(__file__).parent / "locale"
#: The catalogue of modeadvisor's own messages, and the one of argparse's words.
DOMAIN, ARGPARSE_DOMAIN = "modeadvisor", "argparse"

_NBSP = "\u00a0"


def translations(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalogue of `domain` in `lang`; English (the message ids) when there is none."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, localedir=LOCALE_DIR, languages=[lang], fallback=True)


class Message(str):
    """English text that can say itself in another language: a template (the gettext message
    id, with `{name}` placeholders and format specs such as `{size:,}`) and its arguments."""

    template: str
    args: Mapping[str, object]

    def __new__(cls, template: str, /, **args: object) -> Self:
        made = super().__new__(cls, fill(template, args, "en"))
        made.template = template
        made.args = args
        return made

    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, object]]]:
        return _rebuilt, (self.template, dict(self.args))  # pickled as template and arguments

    def render(self, lang: str) -> str:
        """The message in `lang` (the English text when the catalogue has no translation)."""
        if lang == "en":
            return str.__str__(self)
        return fill(translations(lang).gettext(self.template), self.args, lang)


def _rebuilt(template: str, args: dict[str, object]) -> Message:
    return Message(template, **args)


def tr(lang: str, template: str, /, **args: object) -> str:
    """A message rendered at once: the command line's words to the user."""
    return Message(template, **args).render(lang)


def render(text: str, lang: str) -> str:
    """`text` in `lang` if it is a `Message`, else as it is."""
    return text.render(lang) if isinstance(text, Message) else text


def joined(parts: Sequence[str]) -> str:
    """Messages joined by "; ", each still said in the reader's language."""
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return Message("{first}; {rest}", first=parts[0], rest=joined(parts[1:]))


def fill(template: str, args: Mapping[str, object], lang: str) -> str:
    """`template` with its placeholders filled in `lang`'s convention."""
    return template.format_map({name: _shown(value, lang) for name, value in args.items()})


def placeholders(template: str) -> set[str]:
    """The names of a template's `{name}` placeholders."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Number:
    """A number that formats in Finnish convention: a non-breaking space between thousands, a
    decimal comma."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        text = format(self.value, spec)
        return text.replace(",", _NBSP).replace(".", ",")

    def __str__(self) -> str:
        return format(self, "")

    __repr__ = __str__  # `{value!r}` of a number is the number


def _shown(value: object, lang: str) -> Any:
    if isinstance(value, Message):
        return value.render(lang)
    if lang == "fi" and isinstance(value, int | float) and not isinstance(value, bool):
        return _Number(value)
    return value


def iter_catalogue(lang: str, domain: str = DOMAIN) -> Iterator[tuple[str, str]]:
    """Every (message id, translation) of a compiled catalogue, for the tests."""
    found = translations(lang, domain)
    catalogue: dict[object, str] = getattr(found, "_catalog", {})
    for key, value in catalogue.items():
        if isinstance(key, str) and key:
            yield key, value

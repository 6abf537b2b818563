"""The command line's language: chosen before the parser is built, and argparse speaking it.

argparse looks its own words up with the process-wide `gettext.gettext` when it needs them
("usage: ", "options", "the following arguments are required: %s"). Rather than change process
state, the parser and its help formatter here translate what argparse produced, at the one place
each text leaves it: help strings, section headings and the usage prefix in the formatter, error
messages in `error()` — an English argparse message is matched against argparse's message ids
(those of 3.11 and 3.13 are in `locale/fi/LC_MESSAGES/argparse.po`) and said again from the
Finnish template, with the parts argparse filled in (option names, values) as they were.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import NoReturn

from modeadvisor._i18n import ARGPARSE_DOMAIN, DOMAIN, Message, translations
from modeadvisor.knowledge import Lang

#: A `%s`, `%r`, `%d`, `%(name)s` (argparse) or `{name}`, `{name:,}` (modeadvisor) placeholder.
#: The placeholders whose text is itself a message, said again in the language too.
_NESTED = frozenset({"message", "hint"})
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[srd]|\{(\w+)(?::[^}]*)?\}")


def lang_source(environ: Mapping[str, str] = os.environ) -> tuple[Lang, str]:
    """The language when --lang is not given, and where it comes from: MODEADVISOR_LANG (en or
    fi), else the locale (LC_ALL, LC_MESSAGES, LANG, first set wins: Finnish for fi_*), else
    English. Said in --help, so that a Finnish locale never turns the output Finnish unseen."""
    chosen = environ.get("MODEADVISOR_LANG", "").strip().lower()
    if chosen in ("en", "fi"):
        return ("fi" if chosen == "fi" else "en"), f"MODEADVISOR_LANG={chosen}"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return ("fi" if value.lower().startswith("fi") else "en"), f"{name}={value}"
    return "en", "no locale set"


def cli_lang(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> Lang:
    """The language of a command line before it is parsed: its `--lang en|fi` (the last one
    given), else `lang_source`. A `--lang` with another value is left for the parser to refuse."""
    found: Lang | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        if value in ("en", "fi"):
            found = "fi" if value == "fi" else "en"
    return found if found is not None else lang_source(environ)[0]


class Words:
    """The command line's words in one language: modeadvisor's catalogue, then argparse's."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._own = translations(lang, DOMAIN)
        self._argparse = translations(lang, ARGPARSE_DOMAIN)

    def __call__(self, text: str) -> str:
        """`text` (an English message id, or a `Message`) in this language."""
        if self.lang == "en" or not text:
            return str(text)
        if isinstance(text, Message):  # rendered with its arguments
            return text.render(self.lang)
        own = self._own.gettext(text)
        return own if own != text else self._argparse.gettext(text)

    def message(self, english: str) -> str:
        """An English message made by argparse (or by a type function it called), in this
        language: matched against the message ids, the parts filled in kept as they are."""
        if self.lang == "en":
            return english
        whole = self(english)
        if whole != english:  # a message without parts filled in
            return whole
        for template, translated in self._templates():
            found = _matcher(template).fullmatch(english)
            if found is None:
                continue
            parts = {
                key: self.message(value) if key in _NESTED else value
                for key, value in _parts(template, found)
            }
            return _filled(translated, parts)
        return english

    def _templates(self) -> Iterator[tuple[str, str]]:
        for catalogue in (self._argparse, self._own):
            entries: dict[object, str] = getattr(catalogue, "_catalog", {})
            for key, value in sorted(entries.items(), key=lambda kv: -len(str(kv[0]))):
                if isinstance(key, str) and _PLACEHOLDER.search(key):
                    yield key, value


def _matcher(template: str) -> re.Pattern[str]:
    pattern, at = [], 0
    for found in _PLACEHOLDER.finditer(template):
        pattern.append(re.escape(template[at : found.start()]))
        pattern.append("(.+?)")
        at = found.end()
    pattern.append(re.escape(template[at:]))
    return re.compile("".join(pattern), re.DOTALL)


def _parts(template: str, found: re.Match[str]) -> Iterator[tuple[str, str]]:
    for index, placeholder in enumerate(_PLACEHOLDER.finditer(template)):
        name = placeholder.group(1) or placeholder.group(2) or f"#{index}"
        yield name, found.group(index + 1)


def _filled(template: str, parts: Mapping[str, str]) -> str:
    positional = iter(value for key, value in parts.items() if key.startswith("#"))

    def fill(found: re.Match[str]) -> str:
        name = found.group(1) or found.group(2)
        if name is not None:
            return parts.get(name, found.group(0))
        return next(positional, found.group(0))

    return _PLACEHOLDER.sub(fill, template.replace("%%", "\0")).replace("\0", "%")


class Formatter(argparse.HelpFormatter):
    """argparse's help formatter, saying help strings, headings and `usage:` in one language."""

    def __init__(self, prog: str, *, words: Words, **kwargs: int) -> None:
        super().__init__(prog, **kwargs)
        self._words = words

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return None if action.help is None else self._words(action.help)

    def add_text(self, text: str | None) -> None:
        super().add_text(None if text is None else self._words(text))

    def start_section(self, heading: str | None) -> None:
        super().start_section(None if heading is None else self._words(heading))

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(
            usage, actions, groups, self._words("usage: ") if prefix is None else prefix
        )


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in the language `localise` gave it; its
    sub-parsers are of this class too (argparse makes them of the parent's class)."""

    words: Words = Words("en")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = self.words.message(message)
        self.exit(
            2, self.words("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": said}
        )


def localise(parser: argparse.ArgumentParser, lang: str) -> None:
    """Make `parser` and every sub-parser under it speak `lang` (help and errors)."""
    words = Words(lang)
    for each in parser_tree(parser):
        each.formatter_class = partial(Formatter, words=words)
        if isinstance(each, Parser):
            each.words = words


def parser_tree(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parser and every sub-command's parser below it, each once."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from parser_tree(sub)

"""Keep the message catalogues in step with the code (Babel, a dev dependency, reads and writes
them; at run time the stdlib's gettext reads the compiled .mo files).

    .venv/bin/python scripts/messages.py update    # add the code's new message ids to each .po
    .venv/bin/python scripts/messages.py compile   # .po -> .mo beside it (both are committed)
    .venv/bin/python scripts/messages.py check     # exit 1 on an untranslated id or a stale .mo

Message ids come from three places: every `Message("...")` and `tr(lang, "...")` in the package
(read from the source, so a message no test reaches is still found), the help strings of the
command line's parser (built in English), and argparse's own `_("...")` and `ngettext(...)`
words in the running interpreter's `argparse` module (the `argparse` catalogue).
"""

from __future__ import annotations

import argparse
import ast
import gettext
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "modeadvisor"
LOCALES = PACKAGE / "locale"
LANGS = ("fi",)


def source_messages(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Every message id written in the package's source, with where each is used."""
    found: dict[str, list[str]] = {}
    for where, template in _templates(package):
        if template is not None:
            found.setdefault(template, []).append(where)
    return found


def unextractable(package: Path = PACKAGE) -> list[str]:
    """`Message(...)` or `tr(...)` calls whose template is not a literal: no catalogue can hold
    their id."""
    return [where for where, template in _templates(package) if template is None]


def _templates(package: Path) -> Iterator[tuple[str, str | None]]:
    """(where, template) of every `Message(template, ...)` and `tr(lang, template, ...)` call;
    None for a template that is not a literal (but in `_i18n.py`, where both are defined and
    `tr` hands its template on)."""
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = {"Message": 0, "tr": 1}.get(node.func.id)
            if position is None:
                continue
            where = f"{path.relative_to(package)}:{node.lineno}"
            given = node.args[position] if len(node.args) > position else None
            value = given.value if isinstance(given, ast.Constant) else None
            if isinstance(value, str) or path.name != "_i18n.py":
                yield where, value if isinstance(value, str) else None


def help_messages() -> set[str]:
    """Every help string, description and heading of the command line, in English (those made
    with `Message` are found in the source)."""
    from modeadvisor._cli_language import parser_tree
    from modeadvisor._i18n import Message
    from modeadvisor.cli import _parser

    found: set[str] = set()
    words = set(argparse_messages())
    for parser in parser_tree(_parser()):
        texts = [parser.description, *(g.title for g in parser._action_groups)]
        for action in parser._actions:
            texts.append(action.help)
            if isinstance(action, argparse._SubParsersAction):
                texts.extend(choice.help for choice in action._choices_actions)
        found.update(t for t in texts if t and not isinstance(t, Message) and t not in words)
    return found


def argparse_messages() -> list[str]:
    """argparse's own words in this interpreter, singular and plural forms as separate ids
    (the command line matches argparse's English and says it again; it never asks argparse's
    `ngettext`)."""
    assert argparse.__file__ is not None
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found: list[str] = ["show program's version number and exit"]  # 3.11 leaves it untranslated
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "ngettext")
        ):
            found.extend(
                arg.value
                for arg in node.args[: 1 if node.func.id == "_" else 2]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return sorted(set(found))


def wanted(domain: str) -> set[str]:
    """The message ids the code uses, of `domain` ("modeadvisor" or "argparse")."""
    if domain == "argparse":
        return set(argparse_messages())
    return set(source_messages()) | help_messages()


def po_path(lang: str, domain: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(lang: str, domain: str) -> Catalog:
    path = po_path(lang, domain)
    if not path.exists():
        return Catalog(locale=lang, domain=domain)
    with path.open("rb") as file:
        return read_po(file, locale=lang, domain=domain)


def unused(lang: str) -> list[str]:
    """Ids of modeadvisor's catalogue that the code no longer uses."""
    return sorted(
        {str(m.id) for m in read_catalogue(lang, "modeadvisor") if m.id} - wanted("modeadvisor")
    )


def untranslated(lang: str, domain: str) -> list[str]:
    """Message ids the code uses that the .po does not translate."""
    catalogue = read_catalogue(lang, domain)
    done = {m.id for m in catalogue if m.id and m.string}
    return sorted(wanted(domain) - done)


def compiled_entries(lang: str, domain: str) -> dict[str, str]:
    """The .mo beside the .po, read as gettext reads it."""
    path = po_path(lang, domain).with_suffix(".mo")
    with path.open("rb") as file:
        catalogue: dict[object, str] = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in catalogue.items() if isinstance(k, str) and k}


def po_entries(lang: str, domain: str) -> dict[str, str]:
    catalogue = read_catalogue(lang, domain)
    return {str(m.id): str(m.string) for m in catalogue if m.id and m.string and not m.fuzzy}


def update(lang: str, domain: str) -> None:
    """Add the ids the code uses; drop modeadvisor's ids it no longer uses (argparse's stay:
    another Python version may use them)."""
    catalogue = read_catalogue(lang, domain)
    used = wanted(domain)
    for msgid in sorted(used):
        if msgid not in catalogue:
            catalogue.add(msgid, "")
    if domain == "modeadvisor":
        for message in list(catalogue):
            if message.id and message.id not in used:
                catalogue.delete(message.id)
    path = po_path(lang, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalogue, width=100, omit_header=False, sort_output=True)


def compile_mo(lang: str, domain: str) -> None:
    catalogue = read_catalogue(lang, domain)
    with po_path(lang, domain).with_suffix(".mo").open("wb") as file:
        write_mo(file, catalogue)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("action", choices=("update", "compile", "check"))
    action = parser.parse_args(argv).action
    status = 0
    for lang in LANGS:
        for domain in ("modeadvisor", "argparse"):
            if action == "update":
                update(lang, domain)
            elif action == "compile":
                compile_mo(lang, domain)
            else:
                for msgid in untranslated(lang, domain):
                    print(f"{po_path(lang, domain)}: no translation of {msgid!r}")
                    status = 1
                for msgid in unused(lang) if domain == "modeadvisor" else ():
                    print(f"{po_path(lang, domain)}: {msgid!r} is no longer used; run update")
                    status = 1
                if compiled_entries(lang, domain) != po_entries(lang, domain):
                    print(f"{po_path(lang, domain)}: the .mo is stale; run compile")
                    status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""What a table's bytes are read as: UTF-8 unless told otherwise, and what to say when they are
not that.

Excel saves "CSV UTF-8" in UTF-8 (with a byte order mark), "CSV (comma delimited)" in the
Windows code page (Windows-1252 on a Finnish or English Windows) and "CSV (Macintosh)" in Mac
Roman. Every table reader (batch, survey, collect) takes any of them by `--encoding`; when a
file is not in the encoding it is read as, the message names the encoding its bytes read best
as and the option that reads it so, beside the advice to save it as CSV UTF-8.
"""

from __future__ import annotations

import codecs

from modeadvisor._i18n import Message
from modeadvisor.errors import did_you_mean

__all__ = ["COMMON", "DEFAULT", "checked", "label", "undecodable_notes"]

DEFAULT = "utf-8"
#: The encodings spreadsheets write tables in, tried in this order when a file is not in the
#: one it is read as; offered when an encoding's name is not known.
COMMON = ("utf-8", "cp1252", "iso8859-15", "mac-roman")
_LABELS = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
    "iso8859-15": "ISO-8859-15",
    "mac-roman": "Mac Roman",
}
_NAMES = (*COMMON, "windows-1252", "latin-1", "latin-9", "mac_roman", "utf-8-sig")
#: Letters of Finnish, Swedish and other Western European text: a reading of a line's bytes
#: that gives more of them is more likely the one it was written in.
_LETTERS = frozenset("äöåÄÖÅéÉüÜ€")
#: What a header and a row's structure are written in: an encoding that writes these
#: otherwise cannot be read by a CSV reader that splits bytes (UTF-16, UTF-32).
_STRUCTURE = 'unit,organisation;\t#"\r\n 0123456789'


def checked(name: str | None) -> str:
    """The codec name of an encoding (None: UTF-8); ValueError, saying what is accepted, for
    a name Python does not know or an encoding a CSV file cannot be read in."""
    if name is None:
        return DEFAULT
    try:
        codec = codecs.lookup(name.strip()).name
        if codec == "utf-8-sig":  # a byte order mark is skipped anyway
            codec = "utf-8"
        readable = _STRUCTURE.encode(codec) == _STRUCTURE.encode("ascii")
    except LookupError:  # not known, or not a text encoding ('hex')
        hint = did_you_mean(name.strip().lower(), _NAMES)
        if hint:
            raise ValueError(
                Message("unknown encoding '{name}' ({hint})", name=name, hint=hint)
            ) from None
        raise ValueError(
            Message(
                "unknown encoding '{name}'; for example {names}", name=name, names=", ".join(COMMON)
            )
        ) from None
    if not readable:
        raise ValueError(
            Message(
                "encoding '{name}' writes the commas and letters of a CSV file in more than one "
                "byte each, which the table readers do not split: save the file as CSV UTF-8",
                name=name,
            )
        )
    return codec


def label(codec: str) -> str:
    """An encoding as a person names it: Windows-1252, not cp1252."""
    return _LABELS.get(codec, codec)


def _best_reading(raw: bytes, not_this: str) -> str | None:
    """Of the common encodings other than `not_this`, the one this line reads best in: UTF-8
    if it decodes (text in another encoding seldom does by chance), else the one giving no
    control characters and the most Western European letters."""
    if not_this != "utf-8":
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8"
    best: tuple[float, str] | None = None
    for codec in COMMON:
        if codec == not_this:
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        wide = [c for c in text.rstrip("\r\n") if ord(c) > 127]
        if not wide or not all(c.isprintable() for c in wide):
            continue
        score = sum(c in _LETTERS for c in wide) / len(wide)
        if best is None or score > best[0]:
            best = (score, codec)
    return None if best is None else best[1]


def undecodable_notes(raw: bytes, offset: int, encoding: str) -> list[str]:
    """What to say of a line whose byte at `offset` is not in `encoding`: the encoding the line
    reads best in, with that reading of the byte, and the option that reads the file so."""
    codec = _best_reading(raw, encoding)
    if codec is None:
        return []
    if codec == "utf-8":
        return [Message("the line reads as UTF-8: leave --encoding out, or give --encoding utf-8")]
    character = raw[offset : offset + 1].decode(codec)  # the other common ones: a byte each
    return [
        Message(
            "it reads as '{character}' in {encoding}: give --encoding {codec}",
            character=character,
            encoding=label(codec),
            codec=codec,
        )
    ]


def column_twice(name: str, first: int) -> Message:
    """A header that names a column a second time (every CSV reader says it the same way)."""
    return Message(
        "column '{name}' appears twice (first as column {value})", name=name, value=first
    )

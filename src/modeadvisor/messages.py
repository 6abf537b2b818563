"""Plain-language notes in the advice, in English and Finnish."""

from __future__ import annotations

from typing import Any

from .knowledge import Lang

_NOTES: dict[str, dict[Lang, str]] = {
    "insufficient": {
        "en": "too little evidence to name a mode: {fired} rule(s) fired (at least {min_fired} "
              "needed) on {observed} of {catalogue} traits observed ({share:.0%}; at least "
              "{min_share:.0%} needed)",
        "fi": "näyttö ei riitä toimintatavan nimeämiseen: {fired} sääntöä täyttyi (vähintään "
              "{min_fired} tarvitaan), ja havaittuja piirteitä on {observed}/{catalogue} "
              "({share:.0%}; vähintään {min_share:.0%} tarvitaan)",
    },
    "mixed": {
        "en": "mixed profile: {dominant} ({first:.2f}) leads {secondary} ({second:.2f}) by less "
              "than {margin:.2f}; the advice weighs both",
        "fi": "sekaprofiili: {dominant} ({first:.2f}) ja {secondary} ({second:.2f}) ovat lähes "
              "tasoissa (ero alle {margin:.2f}); neuvot painottavat molempia",
    },
    "in_use_poor_fit": {
        "en": "'{model}' is in use today but fits this unit's mode poorly (score {score:+.2f})",
        "fi": "'{model}' on nyt käytössä, mutta sopii huonosti yksikön toimintatapaan "
              "(pisteet {score:+.2f})",
    },
}


def note(key: str, lang: Lang, **values: Any) -> str:
    return _NOTES[key][lang].format(**values)

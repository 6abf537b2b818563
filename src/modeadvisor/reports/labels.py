"""Plain-language notes in the advice, in English and Finnish."""

from __future__ import annotations

from typing import Any

from modeadvisor.knowledge import Lang

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


#: Fixed words of the text and Markdown renderings.
_LABELS: dict[str, dict[Lang, str]] = {
    "pack": {"en": "pack", "fi": "tietopaketti"},
    "no_mode": {
        "en": "insufficient evidence: no mode named",
        "fi": "näyttö ei riitä: toimintatapaa ei nimetä",
    },
    "then": {"en": "then", "fi": "sitten"},
    "mixed": {"en": "mixed", "fi": "sekaprofiili"},
    "in_use": {"en": "in use", "fi": "käytössä"},
    "part_of": {"en": "part of", "fi": "osa yksikköä"},
    "mode": {"en": "mode", "fi": "toimintatapa"},
    "weights": {"en": "weights", "fi": "painot"},
    "evidence_line": {
        "en": "{fired} rules fired on {observed} of {catalogue} traits observed",
        "fi": "{fired} sääntöä täyttyi, havaittuja piirteitä {observed}/{catalogue}",
    },
    "evidence": {"en": "evidence", "fi": "näyttö"},
    "recommended": {"en": "recommended", "fi": "suositellaan"},
    "avoid": {"en": "avoid", "fi": "vältä"},
    "direction": {"en": "direction: towards", "fi": "kehityssuunta: kohti"},
    "note": {"en": "note", "fi": "huom"},
    "desired": {"en": "desired", "fi": "toivottu"},
    "strategy": {"en": "strategy", "fi": "strategia"},
    "self_rated": {"en": "self-rated by {n}", "fi": "itsearvio, {n} vastaajaa"},
    "disputed": {
        "en": "they disagree: no consensus",
        "fi": "vastaajat ovat eri mieltä: ei yhteistä näkemystä",
    },
    "mean_of": {"en": "mean of 1-5", "fi": "keskiarvo asteikolla 1-5"},
    "no_conflicts": {"en": "Conflicts: none found", "fi": "Ristiriidat: ei havaittu"},
    "conflicts": {"en": "Conflicts", "fi": "Ristiriidat"},
    "what_to_do": {"en": "what to do", "fi": "mitä tehdä"},
    "written_at": {"en": "is written at", "fi": "on kirjoitettu kohtaan"},
    "why_profile": {
        "en": "Why this profile (rules that fired):",
        "fi": "Miksi tämä profiili (täyttyneet säännöt):",
    },
    "no_rule": {"en": "no rule fired", "fi": "yksikään sääntö ei täyttynyt"},
    "when": {"en": "when", "fi": "ehto"},
    "matched": {"en": "matched", "fi": "havainnot"},
    "why_recommended": {"en": "Why these recommendations:", "fi": "Miksi nämä suositukset:"},
    "why_avoid": {"en": "Why avoid:", "fi": "Miksi välttää:"},
    "weight": {"en": "weight", "fi": "paino"},
    "advice_from": {
        "en": "Advice from modeadvisor, pack",
        "fi": "modeadvisorin neuvot, tietopaketti",
    },
    "unit": {"en": "Unit", "fi": "Yksikkö"},
    "mode_title": {"en": "Mode", "fi": "Toimintatapa"},
    "recommended_title": {"en": "Recommended", "fi": "Suositellaan"},
    "avoid_title": {"en": "Avoid", "fi": "Vältä"},
    "model": {"en": "Model", "fi": "Malli"},
    "kind": {"en": "Kind", "fi": "Laji"},
    "score": {"en": "Score", "fi": "Pisteet"},
    "because": {"en": "Because", "fi": "Perustelu"},
    "yes": {"en": "yes", "fi": "kyllä"},
    "evidence_title": {"en": "Evidence", "fi": "Näyttö"},
    "rule": {"en": "Rule", "fi": "Sääntö"},
    "source": {"en": "Source", "fi": "Lähde"},
    "none_found": {"en": "None found.", "fi": "Ei havaittu."},
    "management": {"en": "management", "fi": "johtaminen"},
    "measurement": {"en": "measurement", "fi": "mittaaminen"},
    "suits": {"en": "suits", "fi": "sopii"},
    "poor_fit": {"en": "poor fit", "fi": "sopii huonosti"},
    "low": {"en": "low", "fi": "matala"},
    "medium": {"en": "medium", "fi": "keskitaso"},
    "high": {"en": "high", "fi": "korkea"},
}


def label(key: str, lang: Lang, **values: Any) -> str:
    """A fixed word or phrase of a rendering, in the advice's language."""
    text = _LABELS[key][lang]
    return text.format(**values) if values else text

"""Every fixed word and phrase of the outputs for people, in English and Finnish: one table.

Plain text, explain, Markdown, the HTML report with its charts, the survey summary and the notes
carried in the advice all take their words from here, so one meaning has one key and one wording
per language: a severity, a model kind or a heading reads the same in every output.

Conventions: an entry is written as it reads inside a sentence (lower case unless it is a whole
sentence or a title); a renderer capitalises it for a heading with `_common.cap`. A pair
`(singular, plural)` is a noun counted by `_common.count` ("1 respondent", "5 respondents"; in
Finnish the form after a numeral). Keys under a prefix (`severity.`, `kind.`, `relation.`,
`view.`, `role.`, `note.`) are completed by a value of the advice; `survey.` keys belong to the
survey summary only. The kinds of finding are named by the pack (`kinds:`), as modes and models
are.
"""

from __future__ import annotations

import string
from typing import Any, TypeAlias

from modeadvisor.knowledge import Lang

__all__ = ["LABELS", "Entry", "label", "note", "plural"]

#: A phrase, or the (singular, plural) forms of a counted noun.
Entry: TypeAlias = str | tuple[str, str]

LABELS: dict[str, dict[Lang, Entry]] = {
    # --- the advice as a whole ----------------------------------------------------------------
    "title": {
        "en": "Advice on management and measurement models",
        "fi": "Johtamis- ja mittausmallisuositukset",
    },
    "meta": {
        "en": "Rule pack: {pack} {version} · units: {units} · conflicts: {conflicts}",
        "fi": "Sääntöpaketti: {pack} {version} · yksiköitä: {units} · ristiriitoja: {conflicts}",
    },
    "pack": {"en": "rule pack", "fi": "sääntöpaketti"},
    "overview": {"en": "overview", "fi": "yleiskuva"},
    "tree": {"en": "units and their modes", "fi": "yksiköt ja niiden toimintatavat"},
    "profiles": {"en": "profile weights", "fi": "profiilin painot"},
    # --- a unit and its profile ---------------------------------------------------------------
    "unit": {"en": "unit", "fi": "yksikkö"},
    "part_of": {"en": "part of", "fi": "yläyksikkö:"},
    "mode": {"en": "mode", "fi": "toimintatapa"},
    "no_mode": {"en": "none named (insufficient evidence)", "fi": "ei nimetty (näyttö ei riitä)"},
    "then": {"en": "then", "fi": "toisena"},
    "mixed": {"en": "mixed", "fi": "sekaprofiili"},
    "weights": {"en": "weights", "fi": "painot"},
    "evidence": {"en": "evidence", "fi": "näyttö"},
    "coverage": {
        "en": "rules fired: {fired} · traits observed: {observed} of {catalogue} ({share})",
        "fi": "täyttyneitä sääntöjä: {fired} · havaittuja piirteitä: "
        "{observed}/{catalogue} ({share})",
    },
    "chart": {"en": "Mode profile: {unit}", "fi": "Toimintatapaprofiili: {unit}"},
    "no_chart": {
        "en": "Too little evidence to chart the observed profile",
        "fi": "Näyttö ei riitä havaitun profiilin piirtämiseen",
    },
    "view": {"en": "view", "fi": "näkymä"},
    "view.current": {"en": "current (observed)", "fi": "nykyinen (havaittu)"},
    "view.desired": {"en": "desired", "fi": "tavoiteltu"},
    "view.strategy": {"en": "strategy-chosen", "fi": "strategian mukainen"},
    "direction": {"en": "direction of development", "fi": "kehityssuunta"},
    # "kohti" takes the partitive: the mode's own partitive form where the pack gives one
    # (`forms: {fi: {partitive: ...}}`), else its name in the nominative after the head noun
    "towards": {"en": "towards {mode}", "fi": "kohti toimintatapaa {mode}"},
    "towards_form": {"en": "towards the {mode} mode", "fi": "kohti {mode} toimintatapaa"},
    "note": {"en": "note", "fi": "huom"},
    "notes": {"en": "notes", "fi": "huomiot"},
    # --- models ---------------------------------------------------------------------------------
    "recommended": {"en": "recommended models", "fi": "suositellut mallit"},
    "avoid": {"en": "models to avoid", "fi": "vältettävät mallit"},
    "model": {"en": "model", "fi": "malli"},
    "kind": {"en": "kind", "fi": "laji"},
    "kind.management": {"en": "management", "fi": "johtamismalli"},
    "kind.measurement": {"en": "measurement", "fi": "mittausmalli"},
    "score": {"en": "score", "fi": "pisteet"},
    "in_use": {"en": "in use", "fi": "käytössä"},
    "yes": {"en": "yes", "fi": "kyllä"},
    "because": {"en": "because", "fi": "perustelut"},
    "relation.suits": {"en": "suits", "fi": "sopii"},
    "relation.poor_fit": {"en": "fits poorly", "fi": "sopii huonosti"},
    "link": {
        "en": "strength {strength} x weight {weight} = {contribution}",
        "fi": "vahvuus {strength} x paino {weight} = {contribution}",
    },
    # --- self-assessment ------------------------------------------------------------------------
    "self": {"en": "self-assessment", "fi": "itsearvio"},
    "respondents": {"en": ("respondent", "respondents"), "fi": ("vastaaja", "vastaajaa")},
    "mean": {"en": "mean (1-5)", "fi": "keskiarvo (1-5)"},
    "raters": {"en": "raters", "fi": "arvioijia"},
    "rwg": {"en": "agreement (rwg)", "fi": "yksimielisyys (rwg)"},
    "consensus": {"en": "consensus", "fi": "konsensus"},
    "disputed": {
        "en": "disputed: the respondents disagree, so the mean is no shared view",
        "fi": "kiistanalainen: vastaajat ovat eri mieltä, joten keskiarvo ei kuvaa "
        "yhteistä näkemystä",
    },
    "agreed": {
        "en": "the respondents broadly agree",
        "fi": "vastaajat ovat pääosin samaa mieltä",
    },
    # the anonymity floor (min_respondents): a group's figures withheld, or shown on request
    "withheld": {"en": "withheld", "fi": "ei näytetä"},
    "withheld_note": {
        "en": "Figures of fewer than {n} respondents are withheld to protect their anonymity.",
        "fi": "Alle {n} vastaajan lukuja ei näytetä vastaajien nimettömyyden suojaamiseksi.",
    },
    "withheld_group": {
        "en": "figures of fewer than {n} respondents are withheld to protect their anonymity",
        "fi": "alle {n} vastaajan lukuja ei näytetä vastaajien nimettömyyden suojaamiseksi",
    },
    "figures_shown": {
        "en": "WORKING COPY: respondents' figures are shown even for groups of fewer than {n} "
        "(--show-respondents); not for the client",
        "fi": "TYÖKAPPALE: vastaajien luvut näytetään myös alle {n} vastaajan ryhmistä "
        "(--show-respondents); ei asiakkaalle",
    },
    # --- the explanation trail ------------------------------------------------------------------
    "why_profile": {
        "en": "Why this profile (rules that fired: {n})",
        "fi": "Miksi tämä profiili (täyttyneitä sääntöjä: {n})",
    },
    "no_rule": {"en": "no rule fired", "fi": "yksikään sääntö ei täyttynyt"},
    "why_recommended": {"en": "Why these recommendations", "fi": "Miksi nämä suositukset"},
    "why_avoid": {"en": "Why avoid", "fi": "Miksi välttää"},
    "rule": {"en": "rule", "fi": "sääntö"},
    "condition": {"en": "condition", "fi": "ehto"},
    "matched": {"en": "matched traits", "fi": "täsmänneet piirteet"},
    "share": {"en": "share", "fi": "osuus"},
    "rationale": {"en": "rationale", "fi": "perustelu"},
    "source": {"en": "source", "fi": "lähde"},
    "origin": {"en": "origin", "fi": "sijainti"},
    "written_at": {"en": "is written at", "fi": "on kirjoitettu kohtaan"},
    # --- conflicts ------------------------------------------------------------------------------
    "conflicts": {"en": "conflicts", "fi": "ristiriidat"},
    "unit_conflicts": {"en": "conflicts of this unit", "fi": "yksikön ristiriidat"},
    "none_found": {"en": "none found", "fi": "ei havaittu"},
    "resolution": {"en": "what to do", "fi": "toimenpide-ehdotus"},
    # a finding of many units shows the first and counts the rest (all are in the JSON)
    "more_units": {"en": "and {n} more", "fi": "ja {n} muuta"},
    "more_details": {
        "en": "... and {n} more (all of them are in the JSON output)",
        "fi": "... ja {n} muuta (kaikki ovat JSON-tulosteessa)",
    },
    "severity.high": {"en": "high", "fi": "vakava"},
    "severity.medium": {"en": "medium", "fi": "kohtalainen"},
    "severity.low": {"en": "low", "fi": "lievä"},
    # --- notes in the advice (JSON too: change a wording only with the expected outputs) --------
    "note.insufficient": {
        "en": "too little evidence to name a mode: {fired} rule(s) fired (at least {min_fired} "
        "needed) on {observed} observed trait(s) (at least {min_observed} needed)",
        "fi": "näyttö ei riitä toimintatavan nimeämiseen: {fired} sääntöä täyttyi (vähintään "
        "{min_fired} tarvitaan), ja havaittuja piirteitä on {observed} (vähintään "
        "{min_observed} tarvitaan)",
    },
    "note.mixed": {
        "en": "mixed profile: {dominant} ({first:.2f}) leads {secondary} ({second:.2f}) by less "
        "than {margin:.2f}; the advice weighs both",
        "fi": "sekaprofiili: {dominant} ({first:.2f}) ja {secondary} ({second:.2f}) ovat lähes "
        "tasoissa (ero alle {margin:.2f}); neuvot painottavat molempia",
    },
    "note.in_use_poor_fit": {
        "en": "'{model}' is in use today but fits this unit's mode poorly (score {score:+.2f})",
        "fi": "'{model}' on nyt käytössä, mutta sopii huonosti yksikön toimintatapaan "
        "(pisteet {score:+.2f})",
    },
    # --- traits by what they are to the organisation (`kind` in the catalogue) -----------------
    "trait_kind.lever": {"en": "lever", "fi": "ohjauskeino"},
    "trait_kind.circumstance": {"en": "circumstance", "fi": "olosuhde"},
    "trait_kind.signal": {"en": "signal", "fi": "signaali"},
    "trait_kind.none": {"en": "kind not given", "fi": "lajia ei annettu"},
    # --- what-if: repairs a manager can make ---------------------------------------------------
    "whatif.head.dominant": {
        "en": "{unit}: what would make {what} the dominant mode",
        "fi": "{unit}: muutokset, joilla {what} tulee hallitsevaksi toimintatavaksi",
    },
    "whatif.head.recommended": {
        "en": "{unit}: what would make {what} a recommended model",
        "fi": "{unit}: muutokset, joilla mallista {what} tulee suositeltu",
    },
    "whatif.already.recommended": {
        "en": "{unit}: {what} is already recommended; nothing to change",
        "fi": "{unit}: malli {what} on jo suositeltu; mitään ei tarvitse muuttaa",
    },
    "whatif.none.recommended": {
        "en": "{unit}: no change of at most three levers or allowed traits makes {what} a "
        "recommended model ({n} candidates tried)",
        "fi": "{unit}: mallia {what} ei saada suositelluksi millään enintään kolmen "
        "ohjauskeinon tai sallitun piirteen muutoksella ({n} vaihtoehtoa kokeiltu)",
    },
    "whatif.head.clear": {
        "en": '{unit}: what would take the unit out of "{what}"',
        "fi": '{unit}: muutokset, joiden jälkeen yksikkö ei enää kuulu havaintoon "{what}"',
    },
    "whatif.already.dominant": {
        "en": "{unit}: {what} is already the dominant mode; nothing to change",
        "fi": "{unit}: {what} on jo hallitseva toimintatapa; mitään ei tarvitse muuttaa",
    },
    "whatif.already.clear": {
        "en": '{unit}: the unit takes part in no finding of "{what}"; nothing to change',
        "fi": '{unit}: yksikkö ei kuulu yhteenkään havaintoon "{what}"; mitään ei tarvitse muuttaa',
    },
    "whatif.none.dominant": {
        "en": "{unit}: no change of at most three models, levers or allowed traits makes {what} "
        "the dominant mode ({n} candidates tried)",
        "fi": "{unit}: {what} ei tule hallitsevaksi toimintatavaksi millään enintään kolmen "
        "mallin, ohjauskeinon tai sallitun piirteen muutoksella ({n} vaihtoehtoa kokeiltu)",
    },
    "whatif.none.clear": {
        "en": "{unit}: no change of at most three models, levers or allowed traits takes the "
        'unit out of "{what}" ({n} candidates tried)',
        "fi": '{unit}: yksikköä ei saada pois havainnosta "{what}" millään enintään kolmen mallin, '
        "ohjauskeinon tai sallitun piirteen muutoksella ({n} vaihtoehtoa kokeiltu)",
    },
    "whatif.held": {
        "en": "held as they are (circumstances and signals; --allow TRAIT lets one change): "
        "{traits}",
        "fi": "ennallaan pidetyt piirteet (olosuhteita ja signaaleja; valitsin --allow PIIRRE "
        "sallii muutoksen): {traits}",
    },
    "whatif.allowed": {
        "en": "changed only because you allowed it: {traits}",
        "fi": "muutettu vain, koska muutos sallittiin erikseen: {traits}",
    },
    "whatif.trait": {
        "en": "{trait}: {before} -> {after} ({kind})",
        "fi": "{trait}: {before} -> {after} ({kind})",
    },
    "whatif.trait_allowed": {
        "en": "{trait}: {before} -> {after} ({kind}, allowed by you)",
        "fi": "{trait}: {before} -> {after} ({kind}, sallittu erikseen)",
    },
    "whatif.replace": {
        "en": "replace {model} with {other}",
        "fi": "korvatkaa {model} mallilla {other}",
    },
    "whatif.drop": {"en": "stop using {model}", "fi": "luopukaa mallista {model}"},
    "whatif.add": {"en": "take {model} into use", "fi": "ottakaa käyttöön {model}"},
    "whatif.exempt": {
        "en": "exempt the unit from {model}, which the organisation imposes",
        "fi": "vapauttakaa yksikkö organisaation edellyttämästä mallista {model}",
    },
    "whatif.view": {
        "en": "the {view} view would have to lead with {after}, as the traits show, not {before}",
        "fi": "näkymän ”{view}” painavimman toimintatavan pitäisi olla {after}, kuten piirteet "
        "osoittavat, eikä {before}",
    },
    "whatif.mode_same": {
        "en": "dominant mode stays {mode}",
        "fi": "hallitseva toimintatapa pysyy: {mode}",
    },
    "whatif.mode_moves": {
        "en": "dominant mode: {before} -> {after}",
        "fi": "hallitseva toimintatapa: {before} -> {after}",
    },
    "whatif.start": {
        "en": "rules that start firing: {items}",
        "fi": "säännöt, jotka alkavat täyttyä: {items}",
    },
    "whatif.stop": {
        "en": "rules that stop firing: {items}",
        "fi": "säännöt, jotka lakkaavat täyttymästä: {items}",
    },
    "whatif.cleared": {"en": "clears: {items}", "fi": "poistuvat havainnot: {items}"},
    "whatif.created": {"en": "creates: {items}", "fi": "uudet havainnot: {items}"},
    "whatif.not_observed": {"en": "(not observed)", "fi": "(ei havaittu)"},
    "whatif.no": {"en": "no", "fi": "ei"},
    # --- why-not: why a model is not recommended, a mode not dominant --------------------------
    "whynot.model.not": {
        "en": "{unit}: {what} is not recommended: it scores {score:+.2f}, and a model is "
        "recommended from {needed:.2f}",
        "fi": "{unit}: mallia {what} ei suositella: sen pisteet ovat {score:+.2f}, ja malli "
        "suositellaan pisteistä {needed:.2f} alkaen",
    },
    "whynot.model.holds": {
        "en": "{unit}: {what} is recommended (it scores {score:+.2f}; recommended from "
        "{needed:.2f})",
        "fi": "{unit}: malli {what} on suositeltu (pisteet {score:+.2f}; suositellaan "
        "pisteistä {needed:.2f} alkaen)",
    },
    "whynot.mode.not": {
        "en": "{unit}: {what} is not the dominant mode: its weight is {score:.2f}, the "
        "dominant mode's {needed:.2f}",
        "fi": "{unit}: {what} ei ole hallitseva toimintatapa: sen paino on {score:.2f}, "
        "hallitsevan toimintatavan {needed:.2f}",
    },
    "whynot.mode.holds": {
        "en": "{unit}: {what} is the dominant mode (weight {score:.2f})",
        "fi": "{unit}: {what} on hallitseva toimintatapa (paino {score:.2f})",
    },
    "whynot.insufficient": {
        "en": "too little evidence to name a mode: no model is recommended, no mode dominant",
        "fi": "näyttö ei riitä toimintatavan nimeämiseen: mitään mallia ei suositella eikä "
        "mikään toimintatapa ole hallitseva",
    },
    "whynot.links": {
        "en": "links to the model (mode: weight x strength = contribution):",
        "fi": "mallin yhteydet toimintatapoihin (toimintatapa: paino x vahvuus = vaikutus):",
    },
    "whynot.link": {
        "en": "{mode}, {relation}: {weight:.2f} x {strength:.2f} = {contribution:+.2f}",
        "fi": "{mode}, {relation}: {weight:.2f} x {strength:.2f} = {contribution:+.2f}",
    },
    "whynot.rivals": {"en": "outweighed by: {modes}", "fi": "painavammat toimintatavat: {modes}"},
    "whynot.rules": {
        "en": "rules that give it weight, with the parts that held and failed:",
        "fi": "säännöt, jotka antavat sille painoa, täyttyneine ja täyttymättömine osineen:",
    },
    "whynot.fired": {"en": "fired", "fi": "täyttyi"},
    "whynot.not_fired": {"en": "did not fire", "fi": "ei täyttynyt"},
    "whynot.branch": {"en": "or, branch {n}", "fi": "tai, vaihtoehto {n}"},
    "whynot.part_held": {"en": "{test} held ({actual})", "fi": "{test} täyttyi ({actual})"},
    "whynot.part_failed": {
        "en": "{test} failed (it is {actual})",
        "fi": "{test} ei täyttynyt (arvo on {actual})",
    },
    "whynot.part_unobserved": {
        "en": "{test}: not observed",
        "fi": "{test}: ei havaittu",
    },
    # --- the report's folded answers: why not a model in use, how settled ---------------------
    "examined.why_not": {"en": "Why not {model}?", "fi": "Miksi ei {model}?"},
    "examined.settled": {"en": "How settled is this?", "fi": "Kuinka varma tämä on?"},
    "examined.left_out": {
        "en": "how settled each unit's answer is, and why-not for the models in use, are left "
        "out of reports of more than {n} units: ask `modeadvisor explain FILE --unit ID` for one",
        "fi": "yksiköiden vastausten varmuus ja miksi-ei-vastaukset käytössä oleville malleille "
        "jätetään pois yli {n} yksikön raporteista: kysy yhdeltä yksiköltä "
        "`modeadvisor explain TIEDOSTO --unit ID`",
    },
    # --- how settled an answer is: could the unobserved traits change it -----------------------
    "settled.head": {
        "en": "How settled (could the unobserved traits change it?)",
        "fi": "Kuinka vakiintunut (voisivatko havaitsemattomat piirteet muuttaa sitä?)",
    },
    "settled.mode_settled": {
        "en": "settled: no values of the {n} unobserved traits can change the dominant mode "
        "({mode})",
        "fi": "vakiintunut: {n} havaitsemattoman piirteen arvot eivät voi muuttaa hallitsevaa "
        "toimintatapaa ({mode})",
    },
    "settled.mode_open": {
        "en": "open: values of the {n} unobserved traits could change the dominant mode ({mode})",
        "fi": "avoin: {n} havaitsemattoman piirteen arvot voivat muuttaa hallitsevan "
        "toimintatavan ({mode})",
    },
    "settled.mode_insufficient": {
        "en": "open: no mode is named yet; observing more of the {n} unobserved traits can name "
        "one",
        "fi": "avoin: toimintatapaa ei vielä nimetty; {n} havaitsemattoman piirteen "
        "havaitseminen voi nimetä sen",
    },
    "settled.could_lead": {
        "en": "could become dominant: {modes}",
        "fi": "voisi tulla hallitsevaksi: {modes}",
    },
    "settled.top_settled": {
        "en": "the top recommendation ({model}) is settled too",
        "fi": "myös kärkisuositus ({model}) on vakiintunut",
    },
    "settled.top_open": {
        "en": "the top recommendation ({model}) is open",
        "fi": "kärkisuositus ({model}) on avoin",
    },
    "settled.could_top": {
        "en": "could overtake it: {models}",
        "fi": "voisi ohittaa sen: {models}",
    },
    "settled.could_drop": {
        "en": "it could fall below the recommendation threshold",
        "fi": "se voisi pudota suosittelukynnyksen alle",
    },
    "settled.deciding": {
        "en": "the unobserved traits that could move it most: {pulls}",
        "fi": "havaitsemattomat piirteet, jotka voisivat muuttaa sitä eniten: {pulls}",
    },
    "settled.not_exact": {
        "en": "some traits have too many combinations to bound exactly, so this is left open",
        "fi": "joillakin piirteillä on liian monta yhdistelmää tarkkaan rajaamiseen, joten "
        "tämä jätetään avoimeksi",
    },
    # --- from people: the interview, the questionnaire and collect -------------------------
    "people.yes": {"en": "yes", "fi": "kyllä"},
    "people.no": {"en": "no", "fi": "ei"},
    "theme.circumstance": {
        "en": "The unit and its circumstances",
        "fi": "Yksikkö ja sen olosuhteet",
    },
    "theme.lever": {
        "en": "How the unit is managed and followed up",
        "fi": "Miten yksikköä johdetaan ja seurataan",
    },
    "theme.signal": {"en": "How things are going", "fi": "Miten yksiköllä menee"},
    "theme.other": {"en": "Other questions", "fi": "Muut kysymykset"},
    "people.form_title": {
        "en": "How does your unit work? A questionnaire",
        "fi": "Miten yksikkönne toimii? Kysely",
    },
    "people.form_intro": {
        "en": "Answer for the unit you work in. Leave a question unanswered when you do not "
        "know; save your answers at the end and send the file to the consultant.",
        "fi": "Vastaa sen yksikön puolesta, jossa työskentelet. Jätä kysymys vastaamatta, jos et "
        "tiedä; tallenna vastauksesi lopuksi ja lähetä tiedosto konsultille.",
    },
    "people.about_you": {"en": "About you", "fi": "Taustatiedot"},
    "people.respondent": {
        "en": "Your name or initials (optional)",
        "fi": "Nimesi tai nimikirjaimesi (vapaaehtoinen)",
    },
    "people.role": {"en": "Your role", "fi": "Roolisi"},
    "people.unit": {"en": "Your unit", "fi": "Yksikkösi"},
    "people.modes_head": {
        "en": "How central is each way of working to your unit?",
        "fi": "Kuinka keskeinen kukin toimintatapa on yksikössänne?",
    },
    "people.rating_scale": {
        "en": "{low} = not central, {high} = central; several may be central.",
        "fi": "{low} = ei keskeinen, {high} = keskeinen; useampi voi olla keskeinen.",
    },
    "people.models_head": {
        "en": "Management and measurement in use",
        "fi": "Käytössä oleva johtaminen ja mittaaminen",
    },
    "people.models_question": {
        "en": "Which of these does your unit use today? Pick all that apply.",
        "fi": "Mitä näistä yksikkönne käyttää nyt? Valitse kaikki sopivat.",
    },
    "people.skip": {"en": "don't know", "fi": "en osaa sanoa"},
    "people.none_of_these": {"en": "none of these", "fi": "ei mikään näistä"},
    "people.number_range": {
        "en": "a number from {low} to {high}",
        "fi": "luku väliltä {low}\u2013{high}",
    },
    "people.count": {
        "en": "{n} of {total} questions answered",
        "fi": "vastattu {n}/{total} kysymykseen",
    },
    "people.fix": {
        "en": "Some answers are not valid: see the marked questions.",
        "fi": "Osa vastauksista ei kelpaa: katso merkityt kysymykset.",
    },
    "people.need_unit": {"en": "Please give your unit.", "fi": "Anna yksikkösi."},
    "people.save": {"en": "Save my answers", "fi": "Tallenna vastaukseni"},
    "people.saved_form": {
        "en": "Saved as {file}. Send the file to the consultant.",
        "fi": "Tallennettu tiedostoon {file}. Lähetä tiedosto konsultille.",
    },
    "people.agreement": {
        "en": "agreement {agreement:.2f} of {n} answering",
        "fi": "yksimielisyys {agreement:.2f}, vastanneita {n}",
    },
    "people.disagree_mark": {
        "en": "- the respondents disagree strongly",
        "fi": "- vastaajat ovat vahvasti eri mieltä",
    },
    "people.collected_header": {
        "en": "Collected from the answers of {n} respondents (modeadvisor collect)",
        "fi": "Koottu {n} vastaajan vastauksista (modeadvisor collect)",
    },
    "people.unit_summary": {
        "en": "{n} respondents, {traits} traits",
        "fi": "vastaajia {n}, piirteitä {traits}",
    },
    "people.disagreements": {
        "en": "Traits on which the respondents disagree strongly:",
        "fi": "Piirteet, joista vastaajat ovat vahvasti eri mieltä:",
    },
    "people.unnamed_organisation": {"en": "Organisation", "fi": "Organisaatio"},
    "people.interview_header": {
        "en": "Written by modeadvisor interview: a comment names the question of each trait",
        "fi": "Kirjoittanut modeadvisor interview: kommentti nimeää kunkin piirteen kysymyksen",
    },
    "people.ask_organisation": {"en": "Organisation's name", "fi": "Organisaation nimi"},
    "people.ask_unit": {
        "en": "Unit id (letters, digits, _; Enter to finish)",
        "fi": "Yksikön tunnus (kirjaimia, numeroita, _; Enter lopettaa)",
    },
    "people.ask_unit_name": {
        "en": "Unit's name (Enter: none)",
        "fi": "Yksikön nimi (Enter: ei nimeä)",
    },
    "people.ask_parent": {
        "en": "Part of which unit ({units}; Enter: none)",
        "fi": "Minkä yksikön osa ({units}; Enter: ei minkään)",
    },
    "people.bad_unit": {
        "en": "a unit id is letters, digits, '_', '.' or '-', starting with a letter or digit",
        "fi": "yksikön tunnus on kirjaimia, numeroita, '_', '.' tai '-', ja alkaa kirjaimella "
        "tai numerolla",
    },
    "people.keys": {
        "en": "Enter skips a question; q saves and stops.",
        "fi": "Enter ohittaa kysymyksen; q tallentaa ja lopettaa.",
    },
    "people.question_head": {
        "en": "Question {n} on {unit}",
        "fi": "Kysymys {n}: {unit}",
    },
    "people.pick_one": {
        "en": "pick one by its number",
        "fi": "valitse yksi numerolla",
    },
    "people.pick_many": {
        "en": "pick any by their numbers, e.g. 1,3",
        "fi": "valitse numeroilla, esim. 1,3",
    },
    "people.scale_hint": {
        "en": "a whole number from {low} to {high}",
        "fi": "kokonaisluku väliltä {low}\u2013{high}",
    },
    "people.not_understood": {
        "en": "Not understood: {message}. Try again, Enter to skip or q to stop.",
        "fi": "Vastausta ei ymmärretty: {message}. Yritä uudelleen, Enter ohittaa, q lopettaa.",
    },
    "people.provisional": {"en": "So far: {status}", "fi": "Tähän asti: {status}"},
    "people.unit_settled": {
        "en": "{unit} is settled: no answer to the questions left can change its dominant mode "
        "or top recommendation.",
        "fi": "{unit} on vakiintunut: mikään vastaus jäljellä oleviin kysymyksiin ei voi muuttaa "
        "sen hallitsevaa toimintatapaa eikä kärkisuositusta.",
    },
    "people.unit_exhausted": {
        "en": "{unit}: no more questions could change the advice.",
        "fi": "{unit}: muut kysymykset eivät voi muuttaa neuvoja.",
    },
    "people.saved": {
        "en": "Saved {file} ({units} units).",
        "fi": "Tallennettu {file} ({units} yksikköä).",
    },
    # --- the survey summary ---------------------------------------------------------------------
    "role.top_management": {"en": "top management", "fi": "ylin johto"},
    "role.middle_management": {"en": "middle management", "fi": "keskijohto"},
    "role.expert": {"en": "expert", "fi": "asiantuntija"},
    "role.other": {"en": "other", "fi": "muu"},
    "role.unspecified": {"en": "role not given", "fi": "rooli ei tiedossa"},
    "survey.head": {
        "en": "Survey: {respondents} from {organisations}",
        "fi": "Kysely: {respondents} {organisations}",
    },
    "survey.organisations_from": {
        "en": ("organisation", "organisations"),
        "fi": ("organisaatiosta", "organisaatiosta"),
    },
    "survey.units": {
        "en": "; {units} named in {with_units} of them",
        "fi": "; {with_units} organisaatiossa nimetty yhteensä {units}",
    },
    "survey.unit_count": {"en": ("unit", "units"), "fi": ("yksikkö", "yksikköä")},
    "survey.roles": {"en": "Roles", "fi": "Roolit"},
    "survey.prevalence": {
        "en": "Prevalence across {organisations} (a tie for the top is counted apart, not split):",
        "fi": "Toimintatapojen yleisyys {organisations} "
        "(kärkisijan tasapeli lasketaan erikseen, ei jaettuna):",
    },
    "survey.rated_organisations": {
        "en": ("organisation with ratings", "organisations with ratings"),
        "fi": ("organisaatiossa, jossa on arvioita", "organisaatiossa, joissa on arvioita"),
    },
    "survey.head_dominant": {"en": "dominant", "fi": "vallitseva"},
    "survey.head_tied": {"en": "tied", "fi": "tasan"},
    "survey.head_central": {"en": "central (mean ≥ 4)", "fi": "keskeinen (ka ≥ 4)"},
    "survey.head_rated": {"en": "rated 4-5 by", "fi": "antoi 4-5"},
    "survey.no_single": {
        "en": "no single dominant mode (a tie)",
        "fi": "ei yhtä vallitsevaa (tasapeli)",
    },
    "survey.most": {
        "en": "Most prevalent: {modes} — dominant in {count} of {total} organisations ({share})",
        "fi": "Yleisin: {modes} \u2013 vallitseva {count}/{total} organisaatiossa ({share})",
    },
    "survey.most_none": {
        "en": "Most prevalent: none (no organisation has a single dominant mode)",
        "fi": "Yleisin: ei mikään (yhdelläkään organisaatiolla ei ole yhtä vallitsevaa "
        "toimintatapaa)",
    },
    "survey.organisations": {"en": "Organisations", "fi": "Organisaatiot"},
    "survey.dash": {"en": "—", "fi": "\u2013"},
    "survey.dominant": {"en": "dominant: {mode}", "fi": "vallitseva: {mode}"},
    "survey.tied": {"en": "tied for the top: {modes}", "fi": "kärjessä tasan: {modes}"},
    "survey.central": {"en": "central: {modes}", "fi": "keskeiset: {modes}"},
    "survey.central_none": {"en": "central: none", "fi": "keskeiset: ei yhtään"},
    "survey.unrated": {"en": "no ratings", "fi": "ei arvioita"},
    "survey.raters": {"en": ("rater", "raters"), "fi": ("arvioija", "arvioijaa")},
    "survey.lead_withheld": {
        "en": "the leading mode is not named: a mode's figures from fewer than {n} respondents "
        "are withheld",
        "fi": "johtavaa toimintatapaa ei nimetä: toimintatavan lukuja alle {n} vastaajalta ei "
        "näytetä",
    },
    "survey.disputed": {
        "en": "the respondents disagree on {modes}; the mean is no shared view",
        "fi": "vastaajat ovat eri mieltä ({modes}); keskiarvo ei kuvaa yhteistä näkemystä",
    },
    # --- history: saved assessments and what changed between them (`modeadvisor history`) --
    "history.assessments": {
        "en": ("saved assessment", "saved assessments"),
        "fi": ("tallennettu arviointi", "tallennettua arviointia"),
    },
    "history.changes": {
        "en": "Changes from {before} to {after}",
        "fi": "Muutokset {before} \u2013 {after}",
    },
    "history.pack_changed": {
        "en": "the rule pack changed in between: {packs}",
        "fi": "sääntöpaketti muuttui välillä: {packs}",
    },
    "history.only_one": {
        "en": "one saved assessment: nothing to compare yet",
        "fi": "yksi tallennettu arviointi: ei vielä vertailtavaa",
    },
    "history.dominant": {"en": "dominant mode", "fi": "vallitseva toimintatapa"},
    "history.recommended_added": {"en": "newly recommended", "fi": "uutena suositeltu"},
    "history.recommended_removed": {"en": "no longer recommended", "fi": "ei enää suositeltu"},
    "history.finding_new": {"en": "new finding", "fi": "uusi havainto"},
    "history.finding_cleared": {"en": "finding cleared", "fi": "havainto poistui"},
    "history.finding_severity": {
        "en": "finding now {after} (was {before})",
        "fi": "havainto nyt {after} (aiemmin {before})",
    },
    "history.no_change": {"en": "no change", "fi": "ei muutoksia"},
    "history.unit_added": {
        "en": "assessed for the first time",
        "fi": "arvioitu ensimmäistä kertaa",
    },
    "history.unit_removed": {"en": "no longer assessed", "fi": "ei enää arvioitu"},
    "history.saved": {
        "en": "saved as assessment {id} of {name} in {db}",
        "fi": "tallennettu arvioinniksi {id} ({name}) tietokantaan {db}",
    },
    "history.erased": {"en": "erased {count} of {name}", "fi": "poistettu {count} ({name})"},
    "history.over_time": {"en": "weights over time", "fi": "painot ajan mittaan"},
    "history.chart": {"en": "Weights over time: {unit}", "fi": "Painot ajan mittaan: {unit}"},
    "history.chart_note": {
        "en": "{count}, oldest first, evenly spaced",
        "fi": "{count} vanhimmasta alkaen, tasavälein",
    },
    "survey.traits": {"en": "traits", "fi": "piirteet"},
    "survey.mean": {"en": "mean", "fi": "ka"},
}


class _ReadersNumbers(string.Formatter):
    """Fills placeholders as str.format does, but writes a number with a format spec in the
    reader's convention: a decimal comma in Finnish (`{score:+.2f}` gives `-0,39`)."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        shown: str = super().format_field(value, format_spec)
        if self.lang == "fi" and isinstance(value, float):
            return shown.replace(".", ",")
        return shown


_FORMATTERS = {lang: _ReadersNumbers(lang) for lang in ("en", "fi")}


def label(key: str, lang: Lang, **values: Any) -> str:
    """A fixed word or phrase in `lang`, its `{placeholders}` filled from `values` (numbers in
    the reader's convention)."""
    text = LABELS[key][lang]
    if not isinstance(text, str):
        raise TypeError(f"label {key!r} is a counted noun: use plural()")
    return _FORMATTERS[lang].format(text, **values) if values else text


def decimal(value: float, lang: Lang, spec: str = "g") -> str:
    """A number in the reader's convention, as `format(value, spec)` writes it but with a
    decimal comma in Finnish: decimal(0.9, "fi") gives `0,9`, decimal(0.93, "fi", ".2f") `0,93`."""
    shown = format(value, spec)
    return shown.replace(".", ",") if lang == "fi" else shown


def plural(key: str, n: int, lang: Lang) -> str:
    """The form of the counted noun `key` that goes after the number `n`."""
    forms = LABELS[key][lang]
    if isinstance(forms, str):
        raise TypeError(f"label {key!r} is not a counted noun: use label()")
    return forms[0] if n == 1 else forms[1]


def note(key: str, lang: Lang, **values: Any) -> str:
    """A plain-language note carried in the advice (`UnitAdvice.notes`)."""
    return label(f"note.{key}", lang, **values)

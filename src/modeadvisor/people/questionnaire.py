"""The questionnaire: one self-contained HTML file (inline style and script, nothing fetched, so it
can be mailed and opened offline) that a respondent fills in a browser and saves as an answer
file for `collect`.

It asks their role and unit, how central each mode is to the unit (1-5, as in the 2015 survey)
and the trait questions grouped by theme (what a trait is to the organisation: circumstances,
management practices, signals): a scale or a category as radio buttons, a set as checkboxes, a
number in its range; each question may be left unanswered. It also asks which of the pack's
management and measurement models the unit uses today (checkboxes). It checks numbers as they are typed
and saves the answers as a JSON download (`collect.FORMAT`). Every word is the catalogue's or
the label table's, in English or Finnish.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from modeadvisor.knowledge import SCALE_MAX, SCALE_MIN, KnowledgeBase, Lang, Trait
from modeadvisor.people._questions import choices, themed
from modeadvisor.reports.labels import label
from modeadvisor.survey import ROLES

__all__ = ["questionnaire_html"]

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1b1f24}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #ccd}
fieldset{border:1px solid #ccd;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
legend{font-weight:600}.desc{margin:.2rem 0 .5rem;color:#333}
label{margin-right:1rem;white-space:nowrap;display:inline-block}
.choices label.wide{white-space:normal;display:block}
.error{color:#b00020;font-weight:600}input[aria-invalid=true]{outline:2px solid #b00020}
.answered legend::after{content:" \\2713";color:#2e7d32}
#status{font-weight:600}button{font-size:1rem;padding:.5rem 1.2rem}
"""

_SCRIPT = """
(function(){
const T=JSON.parse(document.getElementById('texts').textContent);
const form=document.getElementById('answers');
function check(input){
  const box=input.closest('fieldset');const err=box.querySelector('.error');
  let msg='';
  if(input.value.trim()!==''){
    const v=Number(input.value.replace(',','.'));
    const lo=input.min===''?-Infinity:Number(input.min),hi=input.max===''?Infinity:Number(input.max);
    if(!Number.isFinite(v)||v<lo||v>hi){msg=input.dataset.expected;}
  }
  input.setAttribute('aria-invalid',msg?'true':'false');err.textContent=msg;
  return !msg;
}
function picked(box){
  const none=box.querySelector('input[data-none]');
  const on=[...box.querySelectorAll('input[type=checkbox]:checked:not([data-none])')].map(i=>i.value);
  return on.length?on:(none.checked?[]:null);
}
function traitValue(box){
  const type=box.dataset.type;
  if(type==='number'){const i=box.querySelector('input');
    return i.value.trim()===''?null:Number(i.value.replace(',','.'));}
  if(type==='set')return picked(box);
  const r=box.querySelector('input[type=radio]:checked');
  if(!r||r.value==='')return null;
  if(type==='scale')return Number(r.value);
  if(type==='bool')return r.value==='true';
  return r.value;
}
function progress(){
  const boxes=[...form.querySelectorAll('fieldset.q')];let n=0;
  for(const b of boxes){const on=traitValue(b)!==null;b.classList.toggle('answered',on);if(on)n++;}
  document.getElementById('count').textContent=T.count.replace('{n}',n).replace('{total}',boxes.length);
}
form.addEventListener('input',e=>{
  const t=e.target;
  if(t.type==='number')check(t);
  if(t.type==='checkbox'){const box=t.closest('fieldset');
    if(t.dataset.none!==undefined&&t.checked){box.querySelectorAll('input[type=checkbox]:not([data-none])').forEach(i=>i.checked=false);}
    else if(t.checked){const n=box.querySelector('input[data-none]');if(n)n.checked=false;}}
  progress();
});
form.addEventListener('change',progress);
document.getElementById('save').addEventListener('click',()=>{
  const status=document.getElementById('status');
  const bad=[...form.querySelectorAll('input[type=number]')].filter(i=>!check(i));
  const unit=form.elements['unit'].value.trim();
  if(bad.length){status.textContent=T.fix;bad[0].focus();return;}
  if(!unit){status.textContent=T.need_unit;form.elements['unit'].focus();return;}
  const ratings={};
  form.querySelectorAll('fieldset.mode').forEach(b=>{const r=b.querySelector('input:checked');
    if(r&&r.value!=='')ratings[b.dataset.mode]=Number(r.value);});
  const traits={};
  form.querySelectorAll('fieldset.q').forEach(b=>{const v=traitValue(b);if(v!==null)traits[b.dataset.trait]=v;});
  const answers={format:T.format,version:1,language:T.lang,
    organisation:T.organisation||null,unit:unit,
    respondent:form.elements['respondent'].value.trim()||null,
    role:form.elements['role'].value||null,ratings:ratings,
    models_in_use:picked(form.querySelector('fieldset.uses')),traits:traits};
  const blob=new Blob([JSON.stringify(answers,null,2)+'\\n'],{type:'application/json'});
  const a=document.createElement('a');a.href=URL.createObjectURL(blob);
  const who=(answers.respondent||'').replace(/[^A-Za-z0-9_-]+/g,'-');
  a.download='answers-'+unit.replace(/[^A-Za-z0-9_-]+/g,'-')+(who?'-'+who:'')+'.json';
  document.body.appendChild(a);a.click();a.remove();
  status.textContent=T.saved.replace('{file}',a.download);
});
progress();
})();
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _radios(name: str, options: Sequence[tuple[str, str]], skip: str, wide: bool) -> str:
    cls = ' class="wide"' if wide else ""
    parts = [
        f'<label{cls}><input type="radio" name="{_e(name)}" value="{_e(value)}"> {_e(text)}</label>'
        for value, text in options
    ]
    parts.append(
        f'<label{cls}><input type="radio" name="{_e(name)}" value="" checked> {_e(skip)}</label>'
    )
    return '<div class="choices">' + "".join(parts) + "</div>"


def _checkboxes(name: str, options: Sequence[tuple[str, str]], none: str) -> str:
    return (
        '<div class="choices">'
        + "".join(
            f'<label class="wide"><input type="checkbox" name="{_e(name)}" '
            f'value="{_e(value)}"> {_e(text)}</label>'
            for value, text in options
        )
        + f'<label class="wide"><input type="checkbox" data-none name="{_e(name)}" '
        f'value=""> {_e(none)}</label></div>'
    )


def _question(trait: Trait, lang: Lang) -> str:
    name = f"trait.{trait.id}"
    head = (
        f'<fieldset class="q" data-trait="{_e(trait.id)}" data-type="{trait.type}">'
        f"<legend>{_e(trait.label.get(lang))}</legend>"
        f'<p class="desc">{_e(trait.description.get(lang))}</p>'
    )
    skip = label("people.skip", lang)
    match trait.type:
        case "number":
            low = "" if trait.min is None else f"{trait.min:g}"
            high = "" if trait.max is None else f"{trait.max:g}"
            expected = label("people.number_range", lang, low=low or "-∞", high=high or "∞")
            body = (
                f'<label><input type="number" step="any" name="{_e(name)}" min="{low}" '
                f'max="{high}" data-expected="{_e(expected)}"> {_e(trait.unit or "")}</label>'
                f' <span class="hint">{_e(expected)}</span>'
            )
        case "set":
            body = _checkboxes(name, choices(trait, lang), label("people.none_of_these", lang))
        case _:
            body = _radios(name, choices(trait, lang), skip, trait.type == "category")
    return head + body + '<p class="error" aria-live="polite"></p></fieldset>'


def questionnaire_html(
    kb: KnowledgeBase,
    lang: Lang,
    *,
    units: Sequence[str] = (),
    organisation: str | None = None,
) -> str:
    """The questionnaire as one self-contained HTML page (module docstring)."""
    from modeadvisor.people.collect import FORMAT  # the answer file's tag

    title = label("people.form_title", lang)
    about = [
        f"<fieldset><legend>{_e(label('people.about_you', lang))}</legend>",
        f"<p><label>{_e(label('people.respondent', lang))} "
        '<input type="text" name="respondent" autocomplete="off"></label></p>',
        f'<p><label>{_e(label("people.role", lang))} <select name="role">'
        f'<option value="">{_e(label("role.unspecified", lang))}</option>'
        + "".join(f'<option value="{r}">{_e(label("role." + r, lang))}</option>' for r in ROLES)
        + "</select></label></p>",
    ]
    if units:
        about.append(
            f'<p><label>{_e(label("people.unit", lang))} <select name="unit">'
            '<option value=""></option>'
            + "".join(f'<option value="{_e(u)}">{_e(u)}</option>' for u in units)
            + "</select></label></p>"
        )
    else:
        about.append(
            f"<p><label>{_e(label('people.unit', lang))} "
            '<input type="text" name="unit" autocomplete="off"></label></p>'
        )
    about.append("</fieldset>")
    scale = label("people.rating_scale", lang, low=SCALE_MIN, high=SCALE_MAX)
    modes = [
        f"<h2>{_e(label('people.modes_head', lang))}</h2><p>{_e(scale)}</p>",
        *(
            f'<fieldset class="mode" data-mode="{_e(a.id)}"><legend>{_e(a.name.get(lang))}'
            f'</legend><p class="desc">{_e(a.tagline.get(lang))}</p>'
            + _radios(
                f"rating.{a.id}",
                [(str(v), str(v)) for v in range(SCALE_MIN, SCALE_MAX + 1)],
                label("people.skip", lang),
                False,
            )
            + "</fieldset>"
            for a in kb.archetypes.values()
        ),
    ]
    models = [
        (m.id, f"{m.name.get(lang)} ({label('kind.' + m.kind, lang)})") for m in kb.models.values()
    ]
    uses = (
        f'<h2>{_e(label("people.models_head", lang))}</h2><fieldset class="uses">'
        f"<legend>{_e(label('people.models_question', lang))}</legend>"
        + _checkboxes("models_in_use", models, label("people.none_of_these", lang))
        + "</fieldset>"
    )
    sections = [
        f'<section class="theme" id="theme-{name}"><h2>{_e(label("theme." + name, lang))}</h2>'
        + "".join(_question(t, lang) for t in traits)
        + "</section>"
        for name, traits in themed(kb)
    ]
    texts = {
        "format": FORMAT,
        "lang": lang,
        "organisation": organisation,
        "count": label("people.count", lang, n="{n}", total="{total}"),
        "fix": label("people.fix", lang),
        "need_unit": label("people.need_unit", lang),
        "saved": label("people.saved_form", lang, file="{file}"),
    }
    data = json.dumps(texts, ensure_ascii=False).replace("</", "<\\/")
    heading = organisation or ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        + (f'<p class="organisation">{_e(heading)}</p>' if heading else "")
        + f"<p>{_e(label('people.form_intro', lang))}</p>"
        + '<form id="answers" novalidate>'
        + "".join(about)
        + "".join(modes)
        + uses
        + "".join(sections)
        + f'<p id="count"></p><p><button type="button" id="save">'
        f"{_e(label('people.save', lang))}</button></p>"
        '<p id="status" role="status" aria-live="polite"></p></form>'
        f'<script type="application/json" id="texts">{data}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )

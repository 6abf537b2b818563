"""Outputs for people, one module each: `text` (assess, explain and survey as plain text),
`markdown`, `html` and `svg` (the radar chart); `labels` holds every fixed word they use, in
English and Finnish, and `_common` what they share (numbers, the mode line, views, the unit tree).

Nothing is imported here: the pipeline imports `labels` for the advice's notes, and the renderers
are loaded only by whoever renders.
"""

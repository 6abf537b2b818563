"""Outputs for people: one label table, plain text, Markdown and HTML reports with SVG charts."""

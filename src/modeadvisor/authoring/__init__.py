"""Tools for pack authors: lint (static verification), impact of an edit, JSON Schemas."""

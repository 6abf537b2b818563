"""The knowledge base: rule packs read, layered, validated and cross-checked, every item located.

- `_documents`: the YAML/JSON reader that keeps every node's position and bounds what it reads;
- `_shapes`: what each section of a pack file may hold (pydantic);
- `_loading`: reading a pack's files, layering packs (extends, override, disable, translations);
- `_checks`: type-checking conditions and conflict rules against the catalogue and the facts;
- `_located`: pydantic's errors mapped back to file, line and column;
- `_base`: the immutable `KnowledgeBase` with every rule and where it was written;
- `_compiled`: every rule compiled once (DNF, settings resolved, exact literals), which the
  backends, lint and what-if read.
"""

from ._base import ConflictRule, KnowledgeBase, Pattern, Rule, shipped_rules_dir
from ._checks import check_condition
from ._compiled import (
    CompiledConflict,
    CompiledForm,
    CompiledPattern,
    CompiledRule,
    Test,
)
from ._loading import load_knowledge_base
from ._located import ItemLocation, pydantic_problems
from ._shapes import (
    FORM_NAMES,
    NUMBER_DECIMALS,
    NUMBER_LIMIT,
    PLACEHOLDER,
    SCALE_MAX,
    SCALE_MIN,
    SECTIONS,
    SEVERITIES,
    TRAIT_KINDS,
    Archetype,
    ConflictRuleSpec,
    FindingKind,
    Lang,
    Link,
    Model,
    PackFile,
    PackInfo,
    ScoringRule,
    Settings,
    Severity,
    Source,
    Text,
    Trait,
    TraitKind,
    TraitType,
)

__all__ = [
    "FORM_NAMES",
    "NUMBER_DECIMALS",
    "NUMBER_LIMIT",
    "PLACEHOLDER",
    "SCALE_MAX",
    "SCALE_MIN",
    "SECTIONS",
    "SEVERITIES",
    "TRAIT_KINDS",
    "Archetype",
    "CompiledConflict",
    "CompiledForm",
    "CompiledPattern",
    "CompiledRule",
    "ConflictRule",
    "ConflictRuleSpec",
    "FindingKind",
    "ItemLocation",
    "KnowledgeBase",
    "Lang",
    "Link",
    "Model",
    "PackFile",
    "PackInfo",
    "Pattern",
    "Rule",
    "ScoringRule",
    "Settings",
    "Severity",
    "Source",
    "Test",
    "Text",
    "Trait",
    "TraitKind",
    "TraitType",
    "check_condition",
    "load_knowledge_base",
    "pydantic_problems",
    "shipped_rules_dir",
]

"""Stand-off checks of the seed documents: hashes, claim offsets, and token coverage.

The exclusion rule is normative in seeds/EXCLUSION_RULE.md (its ```rules block); this module
reads the regexes from there, so the rule is written down once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .hashing import sha256_file as sha256_text_file  # noqa: F401 (re-exported for tests)

RULE_FILE = "EXCLUSION_RULE.md"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def load_rules(seeds: Path | None = None) -> dict[str, re.Pattern]:
    """The named regexes of the rules block: TOKEN_* tokenise, EX_* exclude."""
    text = ((seeds or paths.seeds_dir()) / RULE_FILE).read_text(encoding="utf-8")
    block = re.search(r"```rules\n(.*?)```", text, re.S)
    if block is None:
        raise ValueError(f"{RULE_FILE}: no ```rules block")
    rules = {}
    for line in block.group(1).splitlines():
        if line.strip():
            name, pattern = line.split(": ", 1)
            rules[name.strip()] = re.compile(pattern)
    return rules


def tokens(text: str, rules: dict[str, re.Pattern]) -> list[Token]:
    """Every number-like token (digits or number words), in text order."""
    found = {
        (m.start(), m.end())
        for name, rx in rules.items()
        if name.startswith("TOKEN_")
        for m in rx.finditer(text)
    }
    return [Token(s, e, text[s:e]) for s, e in sorted(found)]


def exclusion_spans(text: str, rules: dict[str, re.Pattern]) -> list[tuple[int, int, str]]:
    """Spans the rule excludes: group `x` of each EX_* match, else the whole match."""
    spans = []
    for name, rx in rules.items():
        if not name.startswith("EX_"):
            continue
        for m in rx.finditer(text):
            group = "x" if "x" in rx.groupindex and m.group("x") is not None else 0
            spans.append((m.start(group), m.end(group), name))
    return spans


def uncovered(text: str, claim_spans: list[tuple[int, int]], rules: dict[str, re.Pattern]) -> list[Token]:
    """Tokens inside no claim and no exclusion span."""
    excluded = exclusion_spans(text, rules)

    def inside(tok: Token, spans) -> bool:
        return any(s <= tok.start and tok.end <= e for s, e, *_ in spans)

    return [t for t in tokens(text, rules) if not inside(t, claim_spans) and not inside(t, excluded)]


def overlapping_exclusions(text: str, claim_spans: list[tuple[int, int]], rules) -> list[tuple[int, int, str]]:
    """Exclusion spans that overlap a claim: the rule must never hide a figure."""
    return [
        (s, e, name)
        for s, e, name in exclusion_spans(text, rules)
        for cs, ce in claim_spans
        if s < ce and cs < e
    ]


def read_seed(path: Path) -> str:
    return path.read_bytes().decode("utf-8")

"""Seed documents: hashes and offsets against the texts (when present), coverage, and the rule itself."""

from __future__ import annotations

import polars as pl
import pytest

from talentgap import paths
from talentgap.seeds import load_rules, overlapping_exclusions, read_seed, sha256_text_file, tokens, uncovered

SEEDS_TEXT = paths.seeds_text_dir()
needs_texts = pytest.mark.skipif(
    not SEEDS_TEXT.is_dir(),
    reason=f"seed texts not found at {SEEDS_TEXT} (set TALENTGAP_SEEDS_DIR to check offsets and hashes)",
)
RULES = load_rules()


@pytest.fixture(scope="module")
def seeds():
    docs = pl.read_csv(paths.seeds_dir() / "seed_documents.csv")
    claims = pl.read_csv(paths.seeds_dir() / "claims.csv", schema_overrides={"figure_text": pl.String})
    return docs, claims


@needs_texts
def test_every_seed_hash_and_length_match(seeds):
    docs, _ = seeds
    assert docs.height == len(list(SEEDS_TEXT.glob("*.txt")))
    for doc in docs.iter_rows(named=True):
        path = SEEDS_TEXT / doc["file_name"]
        assert sha256_text_file(path) == doc["sha256"], doc["file_name"]
        assert len(read_seed(path)) == doc["char_count"]


@needs_texts
def test_every_claim_offset_slices_its_literal_figure(seeds):
    docs, claims = seeds
    files = dict(docs.select("seed_id", "file_name").iter_rows())
    for c in claims.iter_rows(named=True):
        text = read_seed(SEEDS_TEXT / files[c["seed_id"]])
        assert text[c["char_start"] : c["char_end"]] == c["figure_text"], c["claim_id"]


@needs_texts
def test_every_number_like_token_is_a_claim_or_excluded(seeds):
    docs, claims = seeds
    for doc in docs.iter_rows(named=True):
        text = read_seed(SEEDS_TEXT / doc["file_name"])
        spans = [(s, e) for s, e in claims.filter(pl.col("seed_id") == doc["seed_id"]).select("char_start", "char_end").iter_rows()]
        assert uncovered(text, spans, RULES) == [], doc["seed_id"]
        assert overlapping_exclusions(text, spans, RULES) == [], doc["seed_id"]
        for s, e in spans:
            assert any(s <= t.start and t.end <= e for t in tokens(text, RULES)), (doc["seed_id"], s, e)


def test_rule_excludes_dates_list_numbers_urls_and_durations():
    text = "1. Cuts since 2022\nOn March 17, 2024 over two years, see t.co/P16Z4k88a7."
    assert uncovered(text, [], RULES) == []


def test_rule_leaves_real_figures_uncovered():
    text = "In 2024, 470 companies cut 141,145 jobs; 2024 employees and 50K more."
    left = [t.text for t in uncovered(text, [], RULES)]
    assert left == ["470", "141,145", "2024", "50"]


def test_a_claim_span_covers_its_tokens():
    text = "Over 50,000 people lost jobs."
    assert uncovered(text, [(5, 11)], RULES) == []

"""User regexes in `kb import` mappings cannot hang the import (catastrophic backtracking)."""

from __future__ import annotations

import pytest

from llmchoose.errors import InputError
from llmchoose.kb.kbsync.mapping import check_linear, load_mapping

MAPPING = """\
version: 1
families:
  - {{pattern: "{pattern}", family: bad, vendor: Bad, open_weights: false}}
"""


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^([a-z0-9.-]+)+X$", "may not hold another quantifier"),
        ("(a|aa)*b", "may not hold another quantifier or an alternation"),
        ("(a?){30}a{30}", "may not hold another quantifier"),
        ("(a)\\\\1", "backreferences are not allowed"),
        (".*a.*b.*c", "at most two parts"),
        ("x" * 301, "at most 300 characters"),
        ("(unclosed", "not a valid regular expression"),
    ],
)
def test_a_mapping_pattern_that_could_hang_is_refused_with_its_line(tmp_path, pattern, expected):
    path = tmp_path / "map.yaml"
    path.write_text(MAPPING.format(pattern=pattern), encoding="utf-8")
    with pytest.raises(InputError, match=expected) as caught:
        load_mapping(path)
    assert caught.value.line == 3


@pytest.mark.parametrize(
    "pattern", ["qwen-?(max|plus|turbo)", "(^|[/.-])phi-?[0-9]", "llama", "a{2,5}b+", "(?:ab)+c"]
)
def test_ordinary_family_patterns_pass(pattern):
    check_linear(pattern)


def test_the_shipped_mapping_passes_and_classifies_names():
    mapping = load_mapping()
    assert mapping.family_of("meta-llama/llama-3.3-70b").family == "llama"
    assert mapping.family_of("x" * 100_000) is None  # long names are cut, not searched whole

"""Whitespace clean-up shared by the parsers."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import normalize


@settings(max_examples=300)
@given(st.text(alphabet="ab \t\u00a0\u202f\u2009\u3000\n", max_size=30))
def test_collapsing_spaces_leaves_one_plain_space_for_every_run_of_them(line):
    expected = re.sub("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+", " ", line).strip()
    assert normalize.normalize_line(line) == expected

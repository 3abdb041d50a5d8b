"""The two editorial roles, as members of their groups."""

import pytest

from tests.curation.helpers import member_of


@pytest.fixture
def editor():
    return member_of("Éditeur")


@pytest.fixture
def reviewer():
    return member_of("Relecteur")

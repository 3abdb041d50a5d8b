"""Moved to tests/search/test_ranking.py; shim until the restructure's last step."""

from tests.search.test_ranking import searchqueryset

__all__ = ["searchqueryset"]

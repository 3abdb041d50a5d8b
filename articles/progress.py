"""Moved to ``articles.management.progress``; shim until the restructure's last step."""

from articles.management.progress import Progress

__all__ = ["Progress"]

"""The Django admin: the editors' curation tool.

``article_admin`` holds the articles, their review and import pages; ``reference_admin`` the
meetings, people and sources with their merges. Importing both registers every model.
"""

from articles.admin import article_admin, reference_admin

__all__ = ["article_admin", "reference_admin"]

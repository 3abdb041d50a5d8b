"""Who may do what beyond model permissions: publishing guards the public archive."""

PUBLISH_PERMISSION = "articles.publish_article"
IMPORT_PERMISSION = "articles.import_articles"


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def can_repair_index(user) -> bool:
    """Superusers and editors (who may publish) repair the search index."""
    return user.is_active and (user.is_superuser or can_publish(user))

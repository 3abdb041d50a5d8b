"""News and photo agencies, as they sign dispatches and credit pictures."""

from . import words

# Lowercase: an agency's name (or acronym) as a sign-off or in a dateline's parentheses.
AGENCY_NAMES = frozenset(
    words(
        """
    reuters belga xinhua anadolu kyodo yonhap efe interfax tass ria novosti bernama wafa kuna
    spa petra mena sana irna qna wam bna ona tap aps map ansa ats afp ap apa
    """
    )
)
# As picture credits write them: "Photo : X / AFP", "(Reuters)".
CREDIT_AGENCIES = ("AFP", "AP", "Reuters", "MAP")
PHOTO_AGENCIES = ("EPA", "Getty")

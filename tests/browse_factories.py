"""Builders for the browse pages' tests: a meeting covered by several outlets, wire copy shared."""

import datetime

from tests.factories import (
    ArticleFactory,
    ArticleMeetingFactory,
    ArticlePersonFactory,
    MeetingFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

HOSTILE = "<script>alert(1)</script>"

WIRE_PARAGRAPH = (
    "Les ministres des Affaires étrangères de la coalition se sont engagés mercredi à maintenir "
    "la pression militaire sur les derniers bastions du groupe jihadiste dans la vallée de "
    "l’Euphrate, tout en finançant la reconstruction des villes libérées."
)

# What each outlet adds to the wire copy: no eight words in common between any two.
OWN_SENTENCES = [
    "Notre correspondant note une ambiance studieuse, sans annonce majeure.",
    "Dans les couloirs, plusieurs délégations regrettaient l’absence de calendrier précis.",
    "Pour les humanitaires rencontrés sur place, ces promesses arrivent bien tard.",
    "Le porte-parole du ministère a refusé de commenter les chiffres avancés.",
]


def covered_meeting(*, articles: int = 3, **meeting_fields):
    """A meeting with ``articles`` published articles from distinct outlets, one speaker each.

    Every article reprints the same wire paragraph, then adds a sentence of its own.
    """
    meeting = MeetingFactory(**meeting_fields)
    speaker = PersonFactory(name="Hélène Dupuis-Marchal")
    created = []
    for number in range(articles):
        source = SourceFactory(name=f"Quotidien régional {number}")
        own = OWN_SENTENCES[number % len(OWN_SENTENCES)]
        article = ArticleFactory(
            title=f"La coalition tient bon, selon notre envoyé spécial ({number})",
            body=f"{WIRE_PARAGRAPH}\n\n{own}",
            source=source,
            published_on=meeting.start_date + datetime.timedelta(days=number),
        )
        ArticleMeetingFactory(article=article, meeting=meeting)
        ArticlePersonFactory(article=article, person=speaker)
        created.append(article)
    return meeting, speaker, created


def hostile_world():
    """One of everything, each name and text carrying a script tag that must stay text."""
    source = SourceFactory(name=f"Gazette {HOSTILE}", slug="gazette-hostile")
    meeting = MeetingFactory(
        title=f"Réunion {HOSTILE}",
        slug="reunion-hostile",
        city=f"Genève {HOSTILE}",
        hosts=f"Hôte {HOSTILE}",
        description=f"Une description {HOSTILE}",
    )
    person = PersonFactory(name=f"Jean {HOSTILE} Martin", slug="jean-hostile")
    article = ArticleFactory(
        title=f"Titre {HOSTILE}",
        slug="article-hostile",
        body=(
            f"Premier paragraphe {HOSTILE} avec <b>gras</b> & esperluette.\n\n"
            f"« Nous ne céderons rien {HOSTILE} », a déclaré le ministre."
        ),
        lead=f"Chapeau {HOSTILE}",
        source=source,
        original_filename=f"fichier-{HOSTILE}.txt",
    )
    twin = ArticleFactory(
        title=f"Jumeau {HOSTILE}",
        slug="jumeau-hostile",
        body=article.body + "\n\nUn ajout propre au second journal.",
        source=SourceFactory(name="Le Second Journal"),
    )
    for each in (article, twin):
        ArticleMeetingFactory(article=each, meeting=meeting)
        ArticlePersonFactory(article=each, person=person)
    QuoteFactory(article=article, person=person, text=f"Nous ne céderons rien {HOSTILE}")
    return {"source": source, "meeting": meeting, "person": person, "article": article}

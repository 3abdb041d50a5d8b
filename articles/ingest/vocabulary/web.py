"""The furniture of web pages: elements, class names and lines that are not the article."""

from . import words

# Elements dropped with their content: scripts, forms, media, navigation, page furniture.
DROPPED_TAGS = frozenset(
    words(
        """
    script style noscript template iframe object embed svg canvas math form button input
    select textarea label nav aside footer figure figcaption picture video audio map dialog
    menu link meta head
    """
    )
)

# ARIA roles of what is not the article's text.
DROPPED_ROLES = frozenset(
    words(
        """
    navigation banner contentinfo complementary search dialog alertdialog menu menubar
    """
    )
)

# Parts of class and id names (split on - and _) that mark what is not the article's text.
JUNK_NAME_PARTS = frozenset(
    words(
        """
    share sharing sharebar social socials partage partager related similar recommended
    recommandations comment comments commentaires disqus newsletter subscribe subscription
    abonnement inscription breadcrumb breadcrumbs ariane nav navbar navigation menu sidebar
    footer cookie cookies consent banner ad ads advert advertisement adsense pub publicite
    promo sponsor sponsored outbrain taboola caption credit credits legende légende
    copyright tags keywords toolbar pagination pager skip modal popup readmore lire-aussi
    aussi most-read trending print
    """
    )
)

# Class and id parts of bylines: read for the date, then dropped from the body.
BYLINE_NAME_PARTS = frozenset(
    words(
        """
    byline dateline date dates time timestamp published publication meta author authors
    auteur auteurs signature posted updated info infos
    """
    )
)

# Elements that break the text into blocks.
BLOCK_TAGS = frozenset(
    words(
        """
    p div section article main header footer aside nav li ul ol dl dt dd blockquote pre h1
    h2 h3 h4 h5 h6 table tr td th tbody thead tfoot caption hr address center fieldset
    details summary
    """
    )
)

# Blocks that hold a paragraph of text themselves (their parent holds the article).
PARAGRAPH_TAGS = frozenset(
    words(
        """
    p li blockquote pre h1 h2 h3 h4 h5 h6 dd dt
    """
    )
)

# JSON-LD types of an article.
ARTICLE_TYPES = frozenset(
    words(
        """
    NewsArticle Article ReportageNewsArticle AnalysisNewsArticle OpinionNewsArticle
    BlogPosting Report PressRelease
    """
    )
)

# Meta names of the publication time, most trusted first.
PUBLISHED_META = tuple(
    words(
        """
    article:published_time og:article:published_time datepublished article.published
    publish-date publishdate pubdate dc.date.issued dcterms.issued dc.date dcterms.date date
    """
    )
)

# The words of share bars, toolbars and back-to-top links.
WIDGET_WORDS = frozenset(
    words(
        """
    rss atom partager partage imprimer écouter listen tweeter twitter x facebook linkedin
    whatsapp telegram mastodon bluesky email e-mail mail courriel envoyer share print tweet
    pdf télécharger download fermer close menu recherche rechercher search suivez-nous
    follow us retour en haut de page haut back to top commenter commentaires comments j’aime
    like copier le lien lien link copy
    """
    )
)

# Language names as language switchers write them.
LANGUAGE_NAMES = frozenset(
    words(
        """
    english français francais español espanol deutsch italiano português portugues русский
    العربية عربي اردو فارسی हिन्दी 中文 日本語 한국어 türkçe kurdî kurdî bahasa indonesia tiếng việt
    polski nederlands українська ελληνικά עברית বাংলা پښتو кыргызча
    """
    )
)

# Small words a publication's name may leave in lower case.
NAME_PARTICLES = frozenset(
    words(
        """
    de des du d la le les l et en sur au aux of the and for on
    """
    )
)

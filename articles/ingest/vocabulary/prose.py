"""Words that tell how prose reads: abbreviations, dangling words, French and English."""

from . import words

# Before these, a period ends an abbreviation or an initial, not a sentence.
ABBREVIATIONS = frozenset(
    words(
        """
    m mm mme mmes mlle dr pr me st ste av apr j.-c etc cf ex p vol n° no gen gén col cdt lt
    sgt mr mrs ms jr sr u.s u.n
    """
    )
)

# Words a shortened title must not end on.
DANGLING_WORDS = frozenset(
    words(
        """
    à a au aux de des du d d’ d' l l’ l' la le les un une et ou en pour par sur dans avec
    sans que qu qu’ qu' qui dont son sa ses leur leurs ce cette ces notre nos the of and to
    in for a an on with by at from that
    """
    )
)

# Common function words, counted to tell French from English.
FRENCH_WORDS = frozenset(
    words(
        """
    le la les des du et est une dans pour que qui sur au aux par pas ont sont été il elle
    nous vous avec cette ces ses leur leurs mais ou où se sa son plus comme lors entre après
    """
    )
)

ENGLISH_WORDS = frozenset(
    words(
        """
    the of and to is that for with was were are be this it at from have has will which their
    by its been would said not but an they who also
    """
    )
)

# The abbreviations detection's sentence splitter knows (lowercase, without their period).
SENTENCE_ABBREVIATIONS = frozenset(words("m mme mlle mr mrs ms dr st no etc av j.-c cf p ex vol"))

"""How the press writes about a meeting (folded regex sources): the event itself, the time it
points to, the kind of meeting and the number of its members."""

from .calendar import FOLDED_FRENCH_MONTHS, FOLDED_MONTHS, FOLDED_WEEKDAYS

MAIN_EVENT = (
    r"se sont reunis|reunis aujourd'hui|se reunissent|se reunit|se reunira"
    r"|ont? debute|a commence|s'est ouverte?|s'ouvre|qui se tient|se tient|se tenait"
    r"|s'est tenue? (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|aujourd'hui|hier"
    r"|ce|le \d)"
    r"|a eu lieu (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|aujourd'hui|hier|ce)"
    r"|a pris part|ont pris part|participe|prend part|accueille|a accueilli|a l'ouverture"
    r"|met (?:today|on)|gathered|convened|hosted|is hosting|took place|opened|kicked off"
)
ELSEWHERE_IN_TIME = (
    r"la semaine (?:derniere|passee|precedente|prochaine)|le mois (?:dernier|prochain|precedent)"
    r"|l'an (?:dernier|prochain|passe)|l'annee (?:derniere|prochaine|passee|precedente)"
    r"|en (?:debut|fin) d'annee|a l'automne|au printemps|a l'ete|en ete|a l'hiver|en hiver"
    r"|last (?:week|month|year)|next (?:week|month|year)|earlier this year"
    r"|previous (?:meeting|ministerial)"
    r"|in the (?:spring|fall|autumn|summer|winter)|(?:derniere|precedente) reunion"
    r"|(?:en|de|d'|in|since|au mois de|du mois de) (?:" + "|".join(FOLDED_MONTHS) + r")(?! \d)"
    r"|(?:" + "|".join(FOLDED_FRENCH_MONTHS) + r") (?:dernier|prochain)"
)
POINTS_AHEAD = (
    r"depuis(?! (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|ce |aujourd))"
    r"|prochaine?s?|d'ici|jusqu'a|cree(?:e|s)? (?:lors|en|par)|a ete creee?|formation|fondee?"
    r"|lors de la reunion|jeter les bases|se tiendra|aura lieu|devrait se tenir|prevue?s?"
    r"|intention de tenir|de tenir|will (?:host|be held|meet)|upcoming|since|founded|established"
    r"|created|formed|launched in|lancee? en"
)
# Phrases naming a kind of meeting, by label, and how much each speaks for each kind.
KIND_PHRASES = {
    "groupe restreint": r"groupe restreint|petit groupe|small group|core group",
    "hauts fonctionnaires": (
        r"directeurs politiques|political directors|hauts fonctionnaires|senior officials"
        r"|representants diplomatiques de haut rang|de haut niveau"
    ),
    "ministres": (
        r"reunion ministerielle|ministerielle|ministerial|ministres des affaires etrangeres"
        r"|foreign ministers|les ministres|des ministres|chefs de la diplomatie"
    ),
}
KIND_WEIGHTS = {
    "groupe restreint": {"small_group": 1.0, "small_group_ministerial": 1.0},
    "hauts fonctionnaires": {"small_group": 1.0},
    "ministres": {"ministerial": 1.0, "small_group_ministerial": 0.7},
}
MEMBER_COUNT = (
    r"(?P<count>\d{2,3}) (?:pays|membres|partenaires|nations|etats|members|countries|partners)"
)
YEAR = r"(?P<year>20[0-3]\d)"
WEEKDAYS = FOLDED_WEEKDAYS

# The names under which `detection.document.FOLDED_PHRASES` finds them.
FOLDED_MEETING_PHRASES = {
    "main-event": MAIN_EVENT,
    "elsewhere-in-time": ELSEWHERE_IN_TIME,
    "points-ahead": POINTS_AHEAD,
    **{f"kind:{label}": source for label, source in KIND_PHRASES.items()},
    "member-count": MEMBER_COUNT,
    "year": YEAR,
    "weekday": "|".join(WEEKDAYS),
}

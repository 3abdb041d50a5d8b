"""Role phrases (folded): how an article names an office instead of its holder.

Each role is a regex source over folded text; a role phrase stands for whoever held the office
at the date of the meeting, unless the article names its holder.
"""

import re
from collections.abc import Sequence

from .people import NATIONALITIES


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _role_sources() -> list[tuple[str, str]]:
    state = r"d'etat"
    patterns = [
        (
            "morocco-deputy-foreign-minister",
            r"ministre delegue aupres du ministre (?:marocain )?des affaires etrangeres?",
        ),
        (
            "us-under-secretary-political-affairs",
            rf"sous secretaire {state}(?: americaine?)? aux affaires politiques"
            r"|under secretary(?: of state)? for political affairs",
        ),
        (
            "us-secretary-of-state",
            rf"(?<!sous )secretaire {state}(?: americain| des etats unis| us)?"
            r"|chef de la diplomatie (?:americaine|des etats unis)|diplomate americain"
            r"|(?:(?:u\.s\.|us|american) )?secretary of state|top (?:us|u\.s\.|american) diplomat",
        ),
        (
            "nato-secretary-general",
            r"secretaire general de l'(?:otan|alliance(?: atlantique)?)|(?:chef|patron) de l'otan"
            r"|nato secretary general|secretary general of nato",
        ),
        (
            "us-special-envoy-coalition",
            r"envoye special(?: americain| des etats unis| du president(?: americain)?)?"
            r"(?: aupres de la coalition(?: mondiale| internationale)?| pour la coalition)?"
            r"|(?:us |u\.s\. )?special (?:presidential )?envoy(?: for the global coalition)?",
        ),
        (
            "us-secretary-of-defense",
            r"secretaire (?:americain )?a la defense|chef du pentagone"
            r"|(?:us |u\.s\. )?(?:secretary of defen[cs]e|defen[cs]e secretary)",
        ),
        (
            "us-president",
            r"president (?:americain|des etats unis)|(?:us|u\.s\.|american) president"
            r"|locataire de la maison blanche",
        ),
        (
            "eu-high-representative",
            r"haute? representante? (?:de l'union europeenne|de l'ue)"
            r"(?: pour les affaires etrangeres(?: et la politique de securite)?)?"
            r"|chef de la diplomatie europeenne|eu (?:foreign policy chief|high representative)",
        ),
        ("iraq-prime-minister", r"premier ministre (?:irakien|iraquien)|iraqi prime minister"),
        (
            "isis-leader",
            r"chef (?:de daech|de l'ei|de l'etat islamique|du groupe (?:etat islamique|ei))"
            r"|(?:isis|isil|daesh|is) leader|leader (?:of|de) (?:isis|daech|l'ei)",
        ),
        ("jordan-king", r"roi de jordanie|souverain jordanien|king of jordan|jordan's king"),
        ("france-defence-minister", r"ministre (?:francaise? )?(?:des armees|de la defense)"),
    ]
    for country, adjectives in NATIONALITIES.items():
        adjective = _alternatives(adjectives)
        feminine = _alternatives([word for word in adjectives if word.endswith("e")] or adjectives)
        patterns.append(
            (
                f"{country}-foreign-minister",
                rf"ministre (?:{adjective}) (?:de l'europe et )?des affaires etrangeres?"
                rf"|ministre (?:de l'europe et )?des affaires etrangeres? (?:{adjective})\b"
                rf"|chef de la diplomatie (?:{feminine})|(?:{adjective}) foreign minister",
            )
        )
    return patterns


_ROLE_SOURCES = _role_sources()
ROLES = [role for role, _source in _ROLE_SOURCES]
# The names under which `detection.document.FOLDED_PHRASES` finds them.
FOLDED_ROLE_PHRASES = {
    **{f"role:{role}": source for role, source in _ROLE_SOURCES},
    "its-secretary-general": r"(?:son|its) secretaire general|(?:its|his) secretary general",
}

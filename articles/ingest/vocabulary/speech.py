"""Verbs of speech, as regex alternatives over the original text (accents as written).

The press reports speech with a past participle after "a" ("a déclaré"), a reflexive verb
("s'est félicité"), a present tense right after its subject, a present participle, or "selon".
"""

ADVERBS = (
    r"encore|également|egalement|aussi|toutefois|pourtant|par\s+ailleurs|en\s+outre|ensuite|"
    r"notamment|enfin|d['’]ailleurs|cependant|néanmoins|donc|alors|ainsi|surtout|aussitôt|"
    r"de\s+son\s+côté|lui-même|elle-même|à\s+son\s+tour|pour\s+sa\s+part|une\s+nouvelle\s+fois|"
    r"en\s+substance|plus\s+tard|clairement|fermement|vivement|déjà|bien|d['’]abord|de\s+nouveau|"
    r"quant\s+à\s+lui|quant\s+à\s+elle|de\s+même|mercredi|mardi|lundi|jeudi|vendredi|samedi|"
    r"dimanche|hier|aujourd['’]hui"
)
PARTICIPLES = (
    r"déclaré|ajouté|souligné|affirmé|réaffirmé|appelé|plaidé|indiqué|précisé|relevé|estimé|"
    r"insisté|rappelé|expliqué|annoncé|assuré|averti|martelé|noté|jugé|dit|confié|lancé|"
    r"fait\s+valoir|fait\s+savoir|fait\s+observer|fait\s+remarquer|prévenu|exhorté|demandé|"
    r"mis\s+en\s+garde|mis\s+en\s+avant|mis\s+en\s+exergue|reconnu|déploré|dénoncé|poursuivi|"
    r"enchaîné|conclu|répondu|répété|observé|évoqué|commenté|réitéré|signalé|proclamé|promis|"
    r"écrit|tweeté|témoigné|admis|confirmé|exprimé|plaidé|invité|encouragé|exigé|"
    # Verbs that announce the statement that follows ("a fait la déclaration suivante :").
    r"fait\s+(?:la|une|cette|sa)\s+déclaration(?:\s+suivante)?|fait\s+les\s+déclarations"
    r"\s+suivantes|tenu\s+(?:les|ces)\s+propos(?:\s+suivants)?"
)
REFLEXIVE = r"félicitée?|réjouie?|dite?|inquiétée?|exprimée?|prononcée?|interrogée?|engagée?"
PRESENT = (
    r"déclare|affirme|réaffirme|souligne|estime|assure|indique|précise|explique|rappelle|"
    r"insiste|appelle|plaide|annonce|ajoute|avertit|dit|martèle|juge|relève|prévient|exhorte|"
    r"reconnaît|déplore|dénonce|se\s+félicite|se\s+dit|se\s+réjouit|met\s+en\s+garde"
)
PRESENT_PARTICIPLES = (
    r"soulignant|précisant|ajoutant|affirmant|estimant|rappelant|indiquant|expliquant|"
    r"assurant|notant|relevant|appelant|insistant|réaffirmant|avertissant|déclarant|jugeant"
)
ENGLISH = (
    r"said|says|told|added|stressed|noted|warned|urged|explained|announced|emphasi[sz]ed|"
    r"underlined|highlighted|affirmed|reaffirmed|reiterated|insisted|argued|declared|pledged|"
    r"called\s+(?:on|for)|pointed\s+out|remarked|observed|acknowledged|recalled|asserted|"
    r"commented|tweeted|wrote|welcomed"
)

"""How the press names people: titles, nationalities, and words that are never part of a name."""

from articles.ingest.folding import fold_name as fold

from . import words

NATIONALITIES = {
    "france": ("francais", "francaise", "french"),
    "morocco": ("marocain", "marocaine", "moroccan"),
    "jordan": ("jordanien", "jordanienne", "jordanian"),
    "italy": ("italien", "italienne", "italian"),
    "iraq": ("irakien", "irakienne", "iraquien", "iraquienne", "iraqi"),
    "kuwait": ("koweitien", "koweitienne", "kuwaiti"),
    "saudi": ("saoudien", "saoudienne", "saudi"),
    "us": ("americain", "americaine", "american", "us", "u.s."),
    "uk": ("britannique", "british"),
    "germany": ("allemand", "allemande", "german"),
    "belgium": ("belge", "belgian"),
    "turkey": ("turc", "turque", "turkish"),
    "egypt": ("egyptien", "egyptienne", "egyptian"),
}


# Capitalised words that are never part of a person's name: places, organisations, calendar
# words and words that start sentences.
NOT_NAME_WORDS = frozenset(
    fold(word)
    for word in words(
        """
    le la les l un une des du de d il elle ils elles nous on ce cette ces cet selon dans lors
    pour par en au aux mais et ou alors apres avant depuis the a an he she they we it in on at
    according sa son ses leur leurs sous avec sur contre entre tous toutes tout plus ainsi
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin
    juillet aout septembre octobre novembre decembre monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december daech daesh isis isil etat etats unis islamique coalition otan nato onu
    union europeenne ligue arabe conseil securite nations unies maison blanche pentagone
    departement bureau ministere ministre affaires etrangeres defense cooperation
    internationale mondiale global globale forum groupe alliance majeste washington bruxelles
    brussels paris rome amman koweit kuwait marrakech riyad riyadh irak iraq syrie syria
    jordanie jordan maroc morocco libye libya afrique africa sahel mozambique europe moyen
    orient turquie russie mossoul mosul raqqa tabqa afghanistan philippines bagdad baghdad
    damas lutte anti communique compte rendu reunion ministres membres partenaires president
    secretaire general envoye special state department secretary minister foreign affairs
    united states america american etat-major interpol internet sahara iran israel liban
    londres berlin moscou ankara caire doha abou dhabi emirats qatar arabie saoudite egypte
    france italie belgique allemagne espagne royaume uni canada australie japon chine inde
    photo credit source afp reuters map ap nous vous je human rights watch amnesty presse press
    agence news times post ministry office house forces armee army democratiques democratic
    syriennes kurdes kurdish croix rouge red cross programme banque mondial fonds
    """
    )
)

# Words after which a name is the object of something, not the subject of a sentence.
OBJECT_WORDS = frozenset(
    fold(word)
    for word in words(
        """
    par avec a à au aux de du des d' pour contre sur aupres envers chez entre sans invitation
    by with to of from for about against between than rencontre recu remercie
    felicite salue accueilli
    """
    )
)
DETERMINERS = frozenset(
    words("le la l' les son sa ses leur un une the its his her their m. mme mr mr. dr dr.")
)

# Words that may precede a surname without being a first name: titles and honorifics.
TITLE_WORDS = frozenset(
    fold(word)
    for word in words(
        """
    m mme mlle mr mrs ms dr me president presidente ministre secretaire chef roi reine prince
    princesse cheikh sheikh emir general generale capitaine colonel commandant lieutenant
    ambassadeur ambassadrice senateur senatrice envoye envoyee secretary minister king queen
    envoy senator ambassador chief sa son majeste sir lord monsieur madame docteur
    """
    )
)

# Capitalised words that start sentences before a surname ("Selon Tillerson, …").
SENTENCE_WORDS = frozenset(
    words(
        """
    selon pour mais et quant pendant apres avant lors hier aujourd'hui ainsi alors donc enfin
    puis pourtant cependant ensuite le la les l' un une ce cette si quand lorsque comme face
    according but and for when after before yesterday today then so as while if the
    """
    )
)

# Regex sources over the original text (as written, capitals and accents included).
# Titles written before a name: "M. Dupont", "Général Martin", "Sheikh Ahmed".
HONORIFICS = (
    r"M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|[Cc]apitaine|[Gg][ée]n[ée]ral|[Cc]olonel"
    r"|[Cc]ommandant|[Ll]ieutenant|[Pp]rince|[Cc]heikh|[Ss]heikh|[Ss][ée]nat(?:eur|rice)"
    r"|[Ss]enator|[Aa]mbassad(?:eur|rice|or)"
)
# The particles names carry between their capitalised words.
NAME_PARTICLES = r"de|di|da|del|van|von|der|ben|bin|ibn|el|al|Al|El|Abu|Abou|le|La|Le"

# Over folded text: words of a death, and words that say it has not happened yet.
DEATH_WORDS = r"deces|mort|death|killing|elimination|tue|killed|disparition|neutralisation"
DEATH_PENDING_WORDS = r"proche|imminente?|bientot|sous peu|va |soon|will"

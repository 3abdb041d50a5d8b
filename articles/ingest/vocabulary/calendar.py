"""Months, weekdays and relative days, in French and English, with their numbers.

French names are written with and without their accents (a copied text may have lost them);
English names keep their capital: "may" the verb is not a month.
"""

FRENCH_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
FRENCH_MONTH_ABBREVIATIONS = {
    "janv": 1, "févr": 2, "fevr": 2, "fév": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9,
    "oct": 10, "nov": 11, "déc": 12, "dec": 12,
}  # fmt: skip
ENGLISH_MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
}  # fmt: skip
ENGLISH_MONTH_ABBREVIATIONS = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sept": 9, "Sep": 9,
    "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip
FRENCH_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}  # fmt: skip
ENGLISH_WEEKDAYS = {
    "Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5,
    "Sunday": 6,
}  # fmt: skip
RELATIVE_DAYS = {
    "avant-hier": -2, "hier": -1, "aujourd’hui": 0, "aujourd'hui": 0, "demain": 1,
    "après-demain": 2, "yesterday": -1, "today": 0, "tomorrow": 1,
}  # fmt: skip

# As folded text writes them (no accents, no capitals): what detection matches.
FOLDED_MONTHS = (
    *(month for month in FRENCH_MONTHS if month.isascii()),
    *(month.lower() for month in ENGLISH_MONTHS),
)
FOLDED_FRENCH_MONTHS = tuple(month for month in FRENCH_MONTHS if month.isascii())
FOLDED_WEEKDAYS = {
    **FRENCH_WEEKDAYS,
    **{day.lower(): number for day, number in ENGLISH_WEEKDAYS.items()},
}

"""Detection of the reported meeting, the speakers and their quotes, on sentences written here."""

import datetime
from pathlib import Path

import pytest

from articles.ingest import parse_file
from articles.ingest.detection import Detection, PersonRef, could_name, detect, load_reference
from articles.ingest.names import fold

FIXTURES = Path(__file__).parent.parent / "fixtures" / "detection"
MEETINGS, PEOPLE = load_reference()


def run(body: str, *, title: str = "", published_on: datetime.date | None = None) -> Detection:
    return detect(
        title=title, body=body, published_on=published_on, meetings=MEETINGS, people=PEOPLE
    )


def run_fixture(name: str, published_on: datetime.date | None = None) -> Detection:
    title, _, body = (FIXTURES / name).read_text(encoding="utf-8").partition("\n")
    return run(body, title=title, published_on=published_on)


def best_meeting(detection: Detection) -> str | None:
    return detection.meetings[0].slug if detection.meetings else None


def quoted(detection: Detection) -> set[str]:
    return {p.slug or p.name for p in detection.people if p.role == "quoted"}


def mentioned(detection: Detection) -> set[str]:
    return {p.slug or p.name for p in detection.people if p.role == "mentioned"}


# --- Reference data ---------------------------------------------------------------------------


def test_load_reference_reads_meetings_and_people_with_their_offices():
    washington = next(m for m in MEETINGS if m.slug == "washington-2017")
    assert washington.start_date == datetime.date(2017, 3, 22)
    assert washington.member_count == 68
    tillerson = next(p for p in PEOPLE if p.slug == "rex-tillerson")
    assert isinstance(tillerson, PersonRef)
    assert tillerson.offices[0].role == "us-secretary-of-state"
    assert tillerson.offices[0].end == datetime.date(2018, 3, 31)


def test_fold_ignores_case_accents_hyphens_and_apostrophe_shapes():
    assert fold("Al-Baghdadi") == fold("al Baghdadi") == "al baghdadi"
    assert fold("Secrétaire d’État") == fold("secretaire d'Etat")


# --- Meeting: each kind of clue ---------------------------------------------------------------


def test_explicit_date_in_the_text_decides_the_meeting():
    detection = run("Le 6 février 2019, les pays de la coalition ont fait le point sur la Syrie.")
    assert best_meeting(detection) == "washington-2019-fevrier"
    assert any("2019-02-06" in clue for clue in detection.meetings[0].evidence)


def test_weekday_with_publication_date_resolves_to_the_meeting_day():
    detection = run(
        "Les partenaires de la coalition se sont réunis mercredi pour parler de Raqqa.",
        published_on=datetime.date(2017, 3, 23),
    )
    assert best_meeting(detection) == "washington-2017"
    assert any(
        "mercredi" in clue and "2017-03-22" in clue for clue in detection.meetings[0].evidence
    )


def test_country_named_with_en_points_to_the_meeting_held_in_that_country():
    detection = run("Les délégués de la coalition ont discuté en Jordanie du sort des déplacés.")
    assert best_meeting(detection) == "amman-2017"


def test_kind_of_meeting_separates_meetings_held_in_the_same_city():
    small_group = run("Une réunion en petit groupe de la coalition s'est tenue à Washington.")
    assert best_meeting(small_group) == "washington-2019-novembre"


def test_number_of_members_points_to_the_meeting_of_that_size():
    detection = run("La coalition, qui compte désormais 79 membres, s'est réunie à Washington.")
    assert best_meeting(detection) == "washington-2019-fevrier"


def test_office_holder_named_in_the_article_votes_for_meetings_during_his_term():
    detection = run(
        "Réunion ministérielle de la coalition à Washington : Mike Pompeo a appelé les alliés "
        "à reprendre leurs ressortissants détenus en Syrie."
    )
    assert best_meeting(detection) == "washington-2019-fevrier"
    assert any("Pompeo" in clue for clue in detection.meetings[0].evidence)


def test_death_of_a_leader_places_the_meeting_after_the_end_of_his_office():
    detection = run(
        "Quelques semaines après la mort d'Abou Bakr al-Baghdadi, la coalition s'est réunie "
        "jeudi à Washington autour du secrétaire d'État Mike Pompeo."
    )
    assert best_meeting(detection) == "washington-2019-novembre"


def test_washington_meetings_are_told_apart_without_any_date_by_kind_size_and_office():
    detection = run(
        "Le chef de la diplomatie américaine Rex Tillerson a ouvert la réunion ministérielle "
        "de la coalition à Washington, qui rassemble les 68 pays membres."
    )
    assert best_meeting(detection) == "washington-2017"
    assert detection.meetings[0].confidence > max(g.confidence for g in detection.meetings[1:])


def test_confidence_is_higher_when_the_best_meeting_leads_by_a_wide_margin():
    clear = run("La réunion ministérielle de la coalition s'est tenue le 28 juin 2021 à Rome.")
    vague = run("La coalition s'est réunie à Washington.")
    assert clear.meetings[0].confidence > vague.meetings[0].confidence


def test_no_meeting_is_guessed_for_an_article_without_any_clue():
    detection = run("Le prix du blé a encore augmenté sur les marchés européens cette semaine.")
    assert detection.meetings == ()


# --- Meeting: past and planned meetings do not win ---------------------------------------------


def test_past_meeting_mentioned_in_passing_does_not_win_over_the_reported_one():
    detection = run(
        "Les hauts fonctionnaires du groupe restreint se sont réunis aujourd'hui en Jordanie. "
        "Leurs travaux prolongent la réunion des ministres de la Défense tenue la semaine "
        "dernière à Bruxelles et celle de juillet à Washington.",
        published_on=datetime.date(2017, 11, 15),
    )
    assert best_meeting(detection) == "amman-2017"


def test_planned_meeting_and_founding_year_do_not_win_over_the_reported_one():
    detection = run(
        "Réunis aujourd'hui à Rome, les ministres de la coalition, créée en 2014, ont salué les "
        "progrès accomplis en Irak. Ils prévoient de tenir la prochaine réunion ministérielle "
        "d'ici juin 2022 et une réunion des directeurs politiques à Bruxelles à l'automne 2021.",
        published_on=datetime.date(2021, 6, 28),
    )
    assert best_meeting(detection) == "rome-2021"
    assert all("Bruxelles" not in clue for clue in detection.meetings[0].evidence)


def test_previous_meeting_named_in_the_last_paragraph_does_not_win():
    detection = run_fixture("koweit_2018.txt")
    assert best_meeting(detection) == "koweit-2018"


# --- Meetings the seeds never showed ------------------------------------------------------------


def test_kuwait_2018_article_in_french_finds_meeting_speakers_and_role_holder():
    detection = run_fixture("koweit_2018.txt", published_on=datetime.date(2018, 2, 14))
    assert best_meeting(detection) == "koweit-2018"
    # "le secrétaire d'Etat américain" is not named: the office holder at the meeting date.
    assert {"rex-tillerson", "sabah-al-khalid-al-sabah"} <= quoted(detection)


def test_marrakech_2022_article_is_matched_through_the_country_and_the_host():
    detection = run(
        "La coalition mondiale contre Daech a tenu mercredi au Maroc sa réunion ministérielle. "
        "Le ministre des Affaires étrangères Nasser Bourita a plaidé pour une attention accrue "
        "à l'Afrique, tandis que Victoria Nuland a annoncé de nouveaux financements.",
        published_on=datetime.date(2022, 5, 12),
    )
    assert best_meeting(detection) == "marrakech-2022"
    assert {"nasser-bourita", "victoria-nuland"} <= quoted(detection)


def test_riyadh_2023_article_in_english_finds_meeting_and_speakers():
    detection = run_fixture("riyadh_2023.txt")
    assert best_meeting(detection) == "riyad-2023"
    assert quoted(detection) == {"antony-blinken", "faisal-bin-farhan"}


# --- Speakers -----------------------------------------------------------------------------------


def test_direct_quote_followed_by_a_declaring_verb_is_attributed_to_the_named_speaker():
    detection = run(
        "« Nous resterons aux côtés de nos partenaires irakiens », a déclaré Antony Blinken."
    )
    assert quoted(detection) == {"antony-blinken"}
    quote = detection.quotes[0]
    assert quote.kind == "direct"
    assert quote.text == "Nous resterons aux côtés de nos partenaires irakiens"
    assert quote.speaker_slug == "antony-blinken"


def test_indirect_speech_records_the_reported_clause_trimmed_to_the_sentence():
    detection = run(
        "Jens Stoltenberg a rappelé que la mission de l'OTAN en Irak serait renforcée. "
        "Le conflit en Syrie a ensuite été évoqué par les délégations."
    )
    assert quoted(detection) == {"jens-stoltenberg"}
    quote = detection.quotes[0]
    assert quote.kind == "indirect"
    assert quote.text == "que la mission de l'OTAN en Irak serait renforcée"


def test_a_t_il_ajoute_goes_to_the_last_named_speaker():
    detection = run(
        "Mike Pompeo a estimé que le califat territorial avait disparu. "
        "« La menace, elle, n'a pas disparu et nous devons rester vigilants », a-t-il ajouté."
    )
    direct = [q for q in detection.quotes if q.kind == "direct"]
    assert [q.speaker_slug for q in direct] == ["mike-pompeo"]


def test_pronoun_subject_of_a_speech_verb_goes_to_the_last_named_subject():
    detection = run(
        "L'envoyé spécial Brett McGurk a présenté un bilan des opérations. "
        "Il a souligné que les flux de combattants étrangers avaient presque cessé."
    )
    assert quoted(detection) == {"brett-mcgurk"}


def test_role_phrase_resolves_to_the_office_holder_named_elsewhere_in_the_article():
    detection = run(
        "Rex Tillerson a ouvert la séance devant les délégations. "
        "« Daech doit être vaincu sur internet comme sur le terrain », a insisté "
        "le chef de la diplomatie américaine."
    )
    assert [q.speaker_slug for q in detection.quotes if q.kind == "direct"] == ["rex-tillerson"]


def test_its_secretary_general_after_nato_resolves_to_the_nato_secretary_general():
    detection = run(
        "L'OTAN soutient la coalition depuis ses débuts, a rappelé son secrétaire général, "
        "dans une réunion à Rome.",
        published_on=datetime.date(2021, 6, 28),
    )
    assert quoted(detection) == {"jens-stoltenberg"}


def test_selon_attributes_a_quote_to_a_person_but_not_to_a_document():
    detection = run(
        "Selon Josep Borrell, « l'Europe doit prendre sa part du fardeau ». "
        "Selon le communiqué final, « la défaite de Daech doit être durable et totale »."
    )
    assert [q.speaker_slug for q in detection.quotes] == ["josep-borrell"]


def test_unknown_person_quoted_is_returned_without_slug():
    detection = run(
        "« Aucun pays ne peut gagner seul ce combat », a déclaré le ministre belge "
        "des Affaires étrangères Didier Reynders."
    )
    person = next(p for p in detection.people if p.role == "quoted")
    assert (person.name, person.slug, person.quote_kind) == ("Didier Reynders", None, "direct")
    assert detection.quotes[0].speaker_name == "Didier Reynders"


def test_english_said_and_told_attribute_quotes():
    detection = run(
        '"We will not let ISIS regroup," said NATO Secretary General Jens Stoltenberg. '
        "Antony Blinken told reporters that the coalition would meet again next year."
    )
    assert quoted(detection) == {"jens-stoltenberg", "antony-blinken"}
    kinds = {q.speaker_slug: q.kind for q in detection.quotes}
    assert kinds == {"jens-stoltenberg": "direct", "antony-blinken": "indirect"}


# --- Mentioned, not quoted ----------------------------------------------------------------------


def test_person_named_in_a_context_sentence_is_mentioned_not_quoted():
    detection = run(
        "Depuis l'arrivée au pouvoir du président Donald Trump, la stratégie américaine a changé. "
        "Rex Tillerson a déclaré que la priorité restait la défaite de Daech."
    )
    assert quoted(detection) == {"rex-tillerson"}
    assert "donald-trump" in mentioned(detection)


def test_people_after_par_avec_and_invitation_are_mentioned_not_quoted():
    detection = run(
        "La séance, ouverte par le secrétaire d'État Mike Pompeo, a réuni trente délégations. "
        "Le Maroc y était représenté par M. Nasser Bourita. À l'invitation de Luigi Di Maio, "
        "Antony Blinken s'est félicité de sa rencontre avec Ayman Safadi, « un partenaire "
        "essentiel de la coalition »."
    )
    assert quoted(detection) == {"antony-blinken"}
    assert {"mike-pompeo", "nasser-bourita", "luigi-di-maio", "ayman-safadi"} <= mentioned(
        detection
    )


def test_leader_whose_death_is_reported_is_mentioned_not_quoted():
    detection = run(
        "La mort du chef de Daech, Abou Bakr al-Baghdadi, a été évoquée par les ministres, "
        "a précisé Mike Pompeo."
    )
    assert quoted(detection) == {"mike-pompeo"}
    assert "abou-bakr-al-baghdadi" in mentioned(detection)


def test_byline_and_photo_credit_are_not_speakers():
    detection = run(
        "Par Julien Moreau\n"
        "Photo : Antony Blinken à Rome / AFP\n"
        "« La coalition reste unie face à la menace », a-t-il ajouté."
    )
    assert quoted(detection) == set()
    blinken = next(p for p in detection.people if p.slug == "antony-blinken")
    assert blinken.role == "mentioned"


def test_unknown_person_with_a_title_is_mentioned_and_places_are_not_people():
    detection = run(
        "La coalition a rendu hommage au capitaine Moaz Kasasbeh. Les représentants de l'OTAN, "
        "d'INTERPOL et de la Ligue arabe étaient présents à Washington."
    )
    assert mentioned(detection) == {"Moaz Kasasbeh"}
    assert quoted(detection) == set()


def test_a_title_ending_a_paragraph_does_not_make_the_next_paragraph_a_speaker():
    detection = run(
        "Interrogé sur le sort des déplacés, le porte-parole a renvoyé les journalistes vers M.\n\n"
        "Plusieurs délégations ont insisté sur le partage des renseignements."
    )
    assert "Plusieurs" not in quoted(detection) | mentioned(detection)


def test_a_title_and_a_name_on_two_lines_of_one_paragraph_still_name_a_speaker():
    detection = run(
        "La réunion a été ouverte par M.\nDidier Reynders, qui a souligné que la coalition "
        "devait rester unie."
    )
    assert quoted(detection) == {"Didier Reynders"}


# --- Aliases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["M. Tillerson", "Rex W. Tillerson", "TILLERSON", "Rex Tillerson"],
)
def test_aliases_of_a_person_resolve_to_the_same_slug(written):
    detection = run(f"{written} a affirmé que la coalition progressait.")
    assert quoted(detection) == {"rex-tillerson"}


@pytest.mark.parametrize(
    "written", ["Al Baghdadi", "al-Baghdadi", "Abou Bakr Al-Baghdadi", "Abu Bakr al Baghdadi"]
)
def test_aliases_match_with_or_without_hyphens(written):
    detection = run(f"Les ministres ont évoqué le sort de {written} en Syrie.")
    assert mentioned(detection) == {"abou-bakr-al-baghdadi"}


def test_aliases_match_with_or_without_accents():
    detection = run("Haider al-Abadi et Haïdar al-Abadi désignent le même dirigeant irakien.")
    people = [p for p in detection.people if p.slug == "haider-al-abadi"]
    assert len(people) == 1


def test_a_surname_alias_inside_another_persons_full_name_is_not_that_person():
    detection = run("Ivanka Trump était présente lors de la visite.")
    assert "donald-trump" not in mentioned(detection)


# --- Statements introduced by a colon -----------------------------------------------------------


def test_statement_announced_with_a_colon_and_quoted_over_paragraphs_is_a_direct_quote():
    detection = run(
        "Les ministres ont achevé leurs travaux en fin d’après-midi.\n\n"
        "Devant la presse, Antony Blinken a fait la déclaration suivante :\n\n"
        "« Nous avons passé en revue chaque front. Les progrès sont réels.\n\n"
        "« Il reste pourtant beaucoup à faire pour les déplacés.\n\n"
        "Nous reviendrons vers nos partenaires dans un mois. »\n\n"
        "Jens Stoltenberg n’a pas pris la parole."
    )

    assert quoted(detection) == {"antony-blinken"}
    assert "jens-stoltenberg" in mentioned(detection)
    (quote,) = detection.quotes
    assert quote.kind == "direct"
    assert quote.text.startswith("Nous avons passé en revue chaque front.")
    assert quote.text.endswith("dans un mois.")
    speaker = next(p for p in detection.people if p.slug == "antony-blinken")
    assert "a fait la déclaration suivante" in speaker.evidence


@pytest.mark.parametrize("verb", ["a déclaré", "a-t-il dit", "a tenu les propos suivants"])
def test_paragraph_after_a_speech_verb_ending_on_a_colon_is_that_speakers_statement(verb):
    introduction = f"Jens Stoltenberg {verb} :" if "-t-" not in verb else f"Puis, {verb} :"
    detection = run(
        "Jens Stoltenberg est arrivé le premier à la réunion.\n\n"
        f"{introduction}\n\n"
        "Notre alliance soutiendra la formation des soldats aussi longtemps que nécessaire.\n\n"
        "La réunion s’est achevée à midi."
    )

    assert quoted(detection) == {"jens-stoltenberg"}
    (quote,) = detection.quotes
    assert quote.kind == "direct"
    assert quote.text == (
        "Notre alliance soutiendra la formation des soldats aussi longtemps que nécessaire."
    )


def test_colon_in_the_middle_of_a_paragraph_introduces_no_statement():
    detection = run(
        "Antony Blinken a déclaré : la coalition restera unie. La séance a été levée à midi.\n\n"
        "Les délégations ont quitté la salle dans l’après-midi."
    )

    assert all("délégations" not in quote.text for quote in detection.quotes)


def test_opening_mark_left_unclosed_mid_paragraph_does_not_swallow_what_follows():
    detection = run(
        "Les ministres ont parlé du « plan de stabilisation pendant une heure.\n\n"
        "« La coalition tiendra ses engagements », a assuré Antony Blinken.\n\n"
        "Jens Stoltenberg a rappelé que la mission de l’OTAN continuait."
    )

    assert quoted(detection) == {"antony-blinken", "jens-stoltenberg"}
    direct = [quote for quote in detection.quotes if quote.kind == "direct"]
    assert [quote.text for quote in direct] == ["La coalition tiendra ses engagements"]


# --- Reference sets -------------------------------------------------------------------------------


def test_person_added_to_the_reference_list_between_two_runs_is_found():
    people = list(PEOPLE)
    text = "« Les camps doivent être vidés », a déclaré Amina Belkacem, envoyée spéciale."
    first = detect(title="", body=text, published_on=None, meetings=MEETINGS, people=people)
    people.append(PersonRef(slug="amina-belkacem", name="Amina Belkacem", aliases=(), offices=()))
    second = detect(title="", body=text, published_on=None, meetings=MEETINGS, people=people)

    assert quoted(first) == {"Amina Belkacem"}
    assert quoted(second) == {"amina-belkacem"}


# --- People added during an import run ---------------------------------------------------------

DEMO_CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"


def test_people_an_article_cannot_name_leave_its_detection_as_it_was():
    documents = [parse_file(p.read_bytes(), filename=p.name) for p in sorted(DEMO_CORPUS.iterdir())]
    before = [
        detect(
            title=d.title,
            body=d.body,
            published_on=d.published_on,
            meetings=MEETINGS,
            people=PEOPLE,
        )
        for d in documents
    ]
    # People an import run could create: some named in these articles, some in none of them.
    # "Ali" stands inside "coalition": only the whole word can name him.
    names = [
        "Rania Haddad",
        "Recep Tayyip Erdogan",
        "Cheikh Sabah",
        "Nadia Benali",
        "Jean Martin",
        "Ali Rahimi",
    ]
    added = [PersonRef(slug=f"new-{n}", name=n, aliases=(), offices=()) for n in names]
    assert not could_name("La coalition", "La coalition s'est réunie.", added[-1:])

    changed = 0
    for document, detection in zip(documents, before, strict=True):
        for person in added:
            again = detect(
                title=document.title,
                body=document.body,
                published_on=document.published_on,
                meetings=MEETINGS,
                people=[*PEOPLE, person],
            )
            if not could_name(document.title, document.body, [person]):
                assert again == detection, (document.title, person.name)
            changed += again != detection
    assert changed, "some article's detection does change with a person it names"

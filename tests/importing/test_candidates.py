"""A new article's near-duplicate candidates: the oldest unflagged articles of its meetings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.importing import Outcome, candidates, import_files, near_duplicates
from articles.models import Article, Meeting
from tests.factories import ArticleFactory, ArticleMeetingFactory, MeetingFactory
from tests.importing.samples import DEMO_CORPUS

pytestmark = pytest.mark.django_db


def test_the_candidates_are_the_oldest_unflagged_articles_of_the_meetings(monkeypatch):
    monkeypatch.setattr(candidates, "NEAR_DUPLICATE_CANDIDATES", 4)  # links read 5 at a time
    meeting, other_meeting = MeetingFactory(), MeetingFactory()
    articles = ArticleFactory.create_batch(14)
    for article in articles[:12]:
        ArticleMeetingFactory(article=article, meeting=meeting)
    ArticleMeetingFactory(article=articles[3], meeting=other_meeting)  # in both: counted once
    ArticleMeetingFactory(article=articles[12], meeting=other_meeting)
    for flagged in (articles[1], articles[2], articles[4], articles[6]):
        flagged.near_duplicate_of = articles[0]
        flagged.save()
    new = articles[13]
    ArticleMeetingFactory(article=new, meeting=meeting)

    key, rows = candidates.near_duplicate_candidates(new, [meeting.pk, other_meeting.pk])

    the_join = (
        Article.objects.exclude(pk=new.pk)
        .filter(
            near_duplicate_of__isnull=True,
            meeting_links__meeting_id__in=[meeting.pk, other_meeting.pk],
        )
        .order_by("id")
        .distinct()
        .values_list("id", "updated_at")
    )
    assert rows == list(the_join[:4])
    assert [pk for pk, _updated in rows] == [articles[i].pk for i in (0, 3, 5, 7)]
    assert key == ("meetings", tuple(sorted([meeting.pk, other_meeting.pk])))


def test_a_run_reuses_a_full_candidate_set_while_its_digest_is_unchanged(monkeypatch):
    monkeypatch.setattr(candidates, "NEAR_DUPLICATE_CANDIDATES", 4)  # links read 5 at a time
    meeting = MeetingFactory()
    articles = ArticleFactory.create_batch(8)
    for article in articles:
        ArticleMeetingFactory(article=article, meeting=meeting)
    index = near_duplicates.NearDuplicateIndex()

    def read_candidates(new):
        with CaptureQueriesContext(connection) as queries:
            _key, rows = candidates.near_duplicate_candidates(new, [meeting.pk], index=index)
        return [pk for pk, _updated in rows], len(queries)

    def the_join(new):
        unflagged = Article.objects.filter(
            near_duplicate_of__isnull=True, meeting_links__meeting=meeting
        ).exclude(pk=new.pk)
        return list(unflagged.order_by("id").values_list("id", flat=True)[:4])

    first_read = read_candidates(articles[7])
    assert first_read == (the_join(articles[7]), 2)  # the links, then their articles

    newer = ArticleFactory()
    ArticleMeetingFactory(article=newer, meeting=meeting)
    assert read_candidates(newer) == (first_read[0], 1)  # one aggregate: the set is unchanged

    articles[2].title = "Corrigé"
    articles[2].save()  # a newer version: its signature must be read again
    ids, statements = read_candidates(newer)
    assert ids == first_read[0] and statements == 1 + 2
    assert (
        dict(index.known_candidates(("meetings", (meeting.pk,))).rows)[articles[2].pk]
        == Article.objects.get(pk=articles[2].pk).updated_at
    )

    Article.objects.filter(pk=articles[1].pk).update(near_duplicate_of=articles[0])
    ids, statements = read_candidates(newer)
    assert ids == the_join(newer) == [articles[i].pk for i in (0, 2, 3, 4)]
    assert statements == 1 + 2


def test_the_digest_of_a_candidate_set_is_the_one_its_walk_computes(monkeypatch):
    monkeypatch.setattr(candidates, "NEAR_DUPLICATE_CANDIDATES", 4)  # links read 5 at a time
    meeting, other_meeting, empty_meeting = MeetingFactory(), MeetingFactory(), MeetingFactory()
    articles = ArticleFactory.create_batch(9)
    for article in articles[:7]:
        ArticleMeetingFactory(article=article, meeting=meeting)
    for article in articles[5:]:
        ArticleMeetingFactory(article=article, meeting=other_meeting)
    Article.objects.filter(pk=articles[1].pk).update(near_duplicate_of=articles[0])
    exclude = {articles[2].pk, articles[8].pk}
    meeting_sets = [
        [meeting.pk],
        [meeting.pk, other_meeting.pk],
        [other_meeting.pk],
        [empty_meeting.pk],
    ]

    digests = candidates.first_batch_digests(meeting_sets, exclude=exclude)

    walked = [
        candidates.oldest_unflagged_in_meetings(meeting_ids, exclude=exclude)[1]
        for meeting_ids in meeting_sets
    ]
    assert digests == walked
    assert digests[0].links == 5 and digests[0].count == 4  # one flagged, beyond the batch: 2
    assert digests[3] == candidates.CandidatesDigest(
        links=0, count=0, ids=0, squares=0, latest=None
    )


@pytest.mark.django_db(transaction=True)  # the sets kept by the first batch, checked by the next
def test_a_batch_checks_the_candidate_sets_kept_for_its_meetings_in_one_statement():
    by_name = sorted(DEMO_CORPUS.iterdir())  # named after their meetings
    first_batch, second_batch = by_name[0::2], by_name[1::2]  # the same meetings in both
    import_files(by_name)  # the people and sources: the next run writes in batches only
    Article.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        import_files([*first_batch, *second_batch], workers=1, batch_size=len(first_batch))

    digest_checks = [q["sql"] for q in queries if " UNION ALL " in q["sql"]]
    assert len(digest_checks) == 1
    assert digest_checks[0].count("SELECT 1, COUNT(*)") == 1  # two meetings at least


@pytest.mark.django_db(transaction=True)  # the sets grow as each file commits
@pytest.mark.parametrize("batch_size", [1, 2])
def test_a_run_reads_a_meetings_candidates_once_then_grows_them_with_its_own_articles(
    batch_size,
):
    files = [path for path in sorted(DEMO_CORPUS.iterdir()) if "washington-2017" in path.name]
    with CaptureQueriesContext(connection) as queries:
        summary = import_files(files, workers=1, batch_size=batch_size)

    assert summary.count(Outcome.CREATED) + summary.count(Outcome.DUPLICATE) == len(files) == 5
    meeting = Meeting.objects.get(slug="washington-2017")
    assert all(article.meetings.get() == meeting for article in Article.objects.all())
    walks = [q for q in queries if q["sql"].startswith('SELECT "articles_articlemeeting"')]
    assert len(walks) == 1

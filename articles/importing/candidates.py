"""The articles a new one could be a near-duplicate of: the oldest unflagged ones of its
meetings, or (no meeting) those published within two days of it.

An import run keeps the candidate sets of the meetings it has read, each with a digest of the
rows that select it, and checks the digests of a batch's sets in one statement: a set unchanged
in the database is not read again, and the run's own new articles join the sets they belong to.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from articles.models import Article, ArticleMeeting

# A new file is compared with at most this many earlier articles (the oldest first).
NEAR_DUPLICATE_CANDIDATES = 500


class CandidateSets:
    """The candidate sets of meetings an import run has read, kept while their digest holds."""

    # Enough to keep every meeting's set of a large archive (40 meetings in the benchmark).
    max_sets = 64

    def __init__(self) -> None:
        self._candidates: OrderedDict[tuple, KnownCandidates] = OrderedDict()

    def known_candidates(self, key: tuple) -> KnownCandidates | None:
        known = self._candidates.get(key)
        if known is not None:
            self._candidates.move_to_end(key)  # the least recently used goes first
        return known

    def keep_candidates(self, key: tuple, known: KnownCandidates) -> None:
        self._candidates[key] = known
        self._candidates.move_to_end(key)
        while len(self._candidates) > self.max_sets:
            self._candidates.popitem(last=False)

    def joined(self, meeting_ids: Sequence[int], article_id: int, version, *, flagged: bool):
        """A new article of the run, committed and linked to these meetings, joins the kept
        sets of each of them (once flagged, only their links), so the next file finds them
        current instead of reading them again."""
        for meeting_id in set(meeting_ids):
            key = meetings_key([meeting_id])
            known = self._candidates.get(key)
            if known is None:
                continue
            rows = known.rows
            if not flagged and len(rows) < NEAR_DUPLICATE_CANDIDATES:
                rows = [*rows, (article_id, version)]
            digest = known.digest.joined_by(article_id, version, flagged=flagged)
            if digest.count < NEAR_DUPLICATE_CANDIDATES and digest.links >= links_batch_size():
                del self._candidates[key]  # the set now reaches past what the digest covers
                continue
            self._candidates[key] = KnownCandidates(digest, rows)


def with_earlier(rows: list[tuple], earlier: list[tuple]) -> list[tuple]:
    """A candidate set read before a batch was written, with the batch's earlier articles."""
    return sorted(rows + earlier)[:NEAR_DUPLICATE_CANDIDATES]


def near_duplicate_candidates(
    article: Article,
    meeting_ids: Sequence[int],
    *,
    index: CandidateSets | None = None,
    written_after: Iterable[int] = (),
):
    """Articles that could be the same dispatch: same meeting, or published within two days.

    Returns a key naming the set  and the (id, updated_at) of at most
    ``NEAR_DUPLICATE_CANDIDATES`` candidates, oldest first; no key when there are none. With
    the run's ``index``, a candidate set read for an earlier file (and grown by the run's own
    new articles since) is reused while its digest in the database is unchanged.
    ``written_after`` are articles of the same batch that a file-by-file import would not have
    written yet.
    """
    exclude = {article.pk, *written_after}
    if meeting_ids:
        key = meetings_key(meeting_ids)
        return key, meeting_candidates([key], index=index, exclude=exclude)[key]
    if not article.published_on:
        return None, []
    window = timezone.timedelta(days=2)
    rows = (
        Article.objects.exclude(pk__in=exclude)
        .filter(
            near_duplicate_of__isnull=True,
            published_on__range=(article.published_on - window, article.published_on + window),
        )
        .order_by("id")
        .values_list("id", "updated_at")
    )
    return ("published", article.published_on), list(rows[:NEAR_DUPLICATE_CANDIDATES])


def meetings_key(meeting_ids: Iterable[int]) -> tuple:
    """What names the candidate set (and signature bank) of articles linked to these meetings."""
    return ("meetings", tuple(sorted(set(meeting_ids))))


def meeting_candidates(
    keys: Sequence[tuple], *, index: CandidateSets | None, exclude: set[int]
) -> dict[tuple, list[tuple]]:
    """The candidates of each ("meetings", ids) key, as ``near_duplicate_candidates`` gives.

    The sets the run's ``index`` keeps are checked against the database together, in one
    statement; the others, and the kept sets that changed, are read again.
    """
    known = {key: index.known_candidates(key) for key in keys} if index is not None else {}
    checked = [key for key in keys if known.get(key) is not None]
    digests = first_batch_digests([key[1] for key in checked], exclude=exclude)
    current = dict(zip(checked, digests, strict=True))
    candidates = {}
    for key in keys:
        if key in current and known[key].digest == current[key]:
            candidates[key] = known[key].rows
            continue
        rows, digest, links_ran_out = oldest_unflagged_in_meetings(key[1], exclude=exclude)
        # The digest covers the whole set when the walk ended with its first batch: the set
        # was full, or (one meeting: a link per article) the meeting's links ran out.
        if index is not None and (
            digest.count >= NEAR_DUPLICATE_CANDIDATES or (links_ran_out and len(key[1]) == 1)
        ):
            index.keep_candidates(key, KnownCandidates(digest, rows))
        candidates[key] = rows
    return candidates


class CandidatesDigest(NamedTuple):
    """What changes when the articles of a batch of links change: one linked or unlinked
    changes ``links``; an unflagged one joining or leaving changes the count or the sums of
    ids and of their squares, one saved the latest ``updated_at``."""

    links: int
    count: int
    ids: int
    squares: int
    latest: object

    def joined_by(self, article_id: int, version, *, flagged: bool) -> CandidatesDigest:
        """The digest once a new article, of an id above all others, is linked too."""
        if self.links >= links_batch_size():
            return self  # it comes after the batch of links the digest covers
        if flagged:
            return self._replace(links=self.links + 1)
        return CandidatesDigest(
            links=self.links + 1,
            count=self.count + 1,
            ids=self.ids + article_id,
            squares=self.squares + article_id * article_id,
            latest=version if self.latest is None else max(self.latest, version),
        )


class KnownCandidates(NamedTuple):
    digest: CandidatesDigest
    rows: list[tuple]


def links_batch_size() -> int:
    return NEAR_DUPLICATE_CANDIDATES + NEAR_DUPLICATE_CANDIDATES // 4  # a few are flagged


def oldest_unflagged_in_meetings(
    meeting_ids: Sequence[int], *, exclude: set[int]
) -> tuple[list[tuple], CandidatesDigest, bool]:
    """(id, updated_at) of the oldest articles linked to the meetings and not themselves
    flagged, the digest of the first batch of links, and whether the links ran out in it.

    A join of the articles with their links, made distinct and sorted, costs as much as the
    meeting has articles, for every imported file, and far more on tables not analysed since a
    bulk load. Walking the links in article order on the (meeting, article) index reads a batch
    of ids, then those articles by key: the cost stays flat however large the archive grows
    (docs/benchmarks.md).
    """
    limit, batch = NEAR_DUPLICATE_CANDIDATES, links_batch_size()
    rows: list[tuple] = []
    digest, links_ran_out = None, True
    after = 0
    while len(rows) < limit:
        linked = list(
            ArticleMeeting.objects.filter(meeting_id__in=meeting_ids, article_id__gt=after)
            .exclude(article_id__in=exclude)
            .order_by("article_id")
            .values_list("article_id", flat=True)[:batch]
        )
        if not linked:
            break
        rows += (
            Article.objects.filter(pk__in=set(linked), near_duplicate_of__isnull=True)
            .order_by("id")
            .values_list("id", "updated_at")
        )
        if digest is None:
            digest = digest_of(rows, links=len(set(linked)))
            links_ran_out = len(linked) < batch
        if len(linked) < batch:
            break
        after = linked[-1]
    return rows[:limit], digest or digest_of([], links=0), links_ran_out


def digest_of(rows: list[tuple], *, links: int) -> CandidatesDigest:
    return CandidatesDigest(
        links=links,
        count=len(rows),
        ids=sum(pk for pk, _version in rows),
        squares=sum(pk * pk for pk, _version in rows),
        latest=max((version for _pk, version in rows), default=None),
    )


# SQLite allows 500 terms in a compound statement.
_DIGESTS_PER_STATEMENT = 100


def first_batch_digests(
    meeting_sets: Sequence[Sequence[int]], *, exclude: set[int]
) -> list[CandidatesDigest]:
    """The digest of the first batch of links of each set of meetings, one aggregate row each
    (not the few hundred rows the walk reads), in one statement for all the sets.

    Written in SQL: Django takes longer to compile each aggregate than the database takes to
    run it, and a batch of new articles checks a set for each of its meetings.
    """
    digests: list[CandidatesDigest] = []
    for first in range(0, len(meeting_sets), _DIGESTS_PER_STATEMENT):
        chunk = meeting_sets[first : first + _DIGESTS_PER_STATEMENT]
        statement = " UNION ALL ".join(
            first_batch_digest_sql(position, meeting_ids, exclude)
            for position, meeting_ids in enumerate(chunk)
        )
        with connection.cursor() as cursor:
            cursor.execute(statement)
            rows = sorted(cursor.fetchall())
        latest_field = Article._meta.get_field("updated_at")
        for _position, links, count, ids, squares, latest in rows:
            if latest is not None:  # SQLite returns the text of the timestamp, in UTC
                latest = latest_field.to_python(latest)
                if timezone.is_naive(latest):
                    latest = timezone.make_aware(latest, connection.timezone)
            digests.append(
                CandidatesDigest(
                    links=int(links),
                    count=int(count or 0),
                    ids=int(ids or 0),
                    squares=int(squares or 0),
                    latest=latest,
                )
            )
    return digests


def first_batch_digest_sql(position: int, meeting_ids: Sequence[int], exclude: set[int]) -> str:
    """One row (position, links, count, ids, squares, latest) over the first batch of links.

    The ids are written into the statement, each through ``int()``: sent as parameters, the
    few hundred of a batch's statement were parsed and quoted one by one on the client.
    """
    articles, links = Article._meta.db_table, ArticleMeeting._meta.db_table
    quote = connection.ops.quote_name

    def integers(values) -> str:
        return ", ".join(str(int(value)) for value in values)

    unflagged = f"{quote('near_duplicate_of_id')} IS NULL"
    excluded = f" AND {quote('article_id')} NOT IN ({integers(sorted(exclude))})" if exclude else ""
    return (
        f"SELECT {int(position)}, COUNT(*),"
        f" SUM(CASE WHEN {unflagged} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {unflagged} THEN {quote('id')} END),"
        f" SUM(CASE WHEN {unflagged} THEN {quote('id')} * {quote('id')} END),"
        f" MAX(CASE WHEN {unflagged} THEN {quote('updated_at')} END)"
        f" FROM {quote(articles)} WHERE {quote('id')} IN ("
        f"SELECT {quote('article_id')} FROM {quote(links)}"
        f" WHERE {quote('meeting_id')} IN ({integers(meeting_ids)}){excluded}"
        f" ORDER BY {quote('article_id')} LIMIT {int(links_batch_size())})"
    )

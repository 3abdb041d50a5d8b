"""The write operations editors perform in the admin, each atomic and each recorded in history.

Every function is keyword-only, runs in one transaction, writes a LogEntry (who, when, what) on
the objects it changes and queues the affected articles for the search index. Permission checks
that guard the archive's public face (publishing) live here too, so no caller can skip them.
"""

from articles.curation.history import queue_reindex, record_history
from articles.curation.merging import MergeReport, combined_aliases, merge_people, merge_sources
from articles.curation.near_duplicates import (
    keep_near_duplicate,
    merge_near_duplicate,
    provenance,
)
from articles.curation.permissions import (
    IMPORT_PERMISSION,
    PUBLISH_PERMISSION,
    can_publish,
    can_repair_index,
)
from articles.curation.proposals import (
    Proposal,
    accept_all_proposals,
    accept_proposal,
    assign_meeting,
    correct_meeting,
    correct_person_role,
    describe_proposal,
    reject_proposal,
    rerun_detection,
)
from articles.curation.publishing import (
    STATUS_LABELS,
    mark_checked,
    publish,
    send_back_to_check,
    set_status,
    unpublish,
)
from articles.curation.revisions import accept_revision, reject_revision
from articles.curation.uploads import Upload, import_uploads

__all__ = [
    "IMPORT_PERMISSION",
    "PUBLISH_PERMISSION",
    "STATUS_LABELS",
    "MergeReport",
    "Proposal",
    "Upload",
    "accept_all_proposals",
    "accept_proposal",
    "accept_revision",
    "assign_meeting",
    "can_publish",
    "can_repair_index",
    "combined_aliases",
    "correct_meeting",
    "correct_person_role",
    "describe_proposal",
    "import_uploads",
    "keep_near_duplicate",
    "mark_checked",
    "merge_near_duplicate",
    "merge_people",
    "merge_sources",
    "provenance",
    "publish",
    "queue_reindex",
    "record_history",
    "reject_proposal",
    "reject_revision",
    "rerun_detection",
    "send_back_to_check",
    "set_status",
    "unpublish",
]

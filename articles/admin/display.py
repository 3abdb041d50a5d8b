"""Small renderers shared by the admin pages: evidence lines and the side-by-side comparison.

Everything returned here is escaped first and marked safe after: article texts are untrusted.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Above this many words per side the comparison lets difflib skip very common words.
EXACT_DIFF_LIMIT = 4000
TOKEN = re.compile(r"\S+\s*")


def evidence_lines(evidence: str) -> list[str]:
    return [line.strip() for line in (evidence or "").splitlines() if line.strip()]


def evidence_list(evidence: str) -> SafeString:
    lines = evidence_lines(evidence)
    if not lines:
        return mark_safe("—")
    return format_html(
        '<ul class="evidence">{}</ul>',
        format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
    )


def confidence_percent(confidence: float | None) -> str:
    return "—" if confidence is None else f"{confidence:.0%}"


def side_by_side(left: str, right: str) -> tuple[SafeString, SafeString]:
    """Both texts escaped, with the words found on one side only wrapped in ``<mark>``."""
    left_tokens, right_tokens = TOKEN.findall(left or ""), TOKEN.findall(right or "")
    matcher = SequenceMatcher(
        None,
        [token.strip().casefold() for token in left_tokens],
        [token.strip().casefold() for token in right_tokens],
        autojunk=max(len(left_tokens), len(right_tokens)) > EXACT_DIFF_LIMIT,
    )
    left_html, right_html = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left_part = escape("".join(left_tokens[i1:i2]))
        right_part = escape("".join(right_tokens[j1:j2]))
        if tag == "equal":
            left_html.append(left_part)
            right_html.append(right_part)
            continue
        if left_part:
            left_html.append(f"<mark>{left_part}</mark>")
        if right_part:
            right_html.append(f"<mark>{right_part}</mark>")
    # Each piece was escaped above; only our own <mark> tags are markup.
    return mark_safe("".join(left_html)), mark_safe("".join(right_html))

"""The sentence that restates a search, in French first: « 12 articles contenant
« frontières », à Rome, citant Antony Blinken (par pertinence). »"""

from __future__ import annotations

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.search.params import SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE, SearchParams
from articles.search.syntax import And, Not, Or, Phrase, Prefix, Term


def restate(params: SearchParams, total: int) -> str:
    """« 12 articles contenant « frontières », à Rome, citant Antony Blinken »."""
    parts = [_head(params, total) + _describe_query(params.query.tree)]
    parts += _filter_parts(params, total)
    date_range = _date_range(params)
    if date_range:
        parts.append(date_range)
    sentence = parts[0]
    if parts[1:]:
        # « 3 articles à Rome, citant … » but « 3 articles contenant « x », à Rome, … ».
        sentence += (", " if params.query.tree is not None else " ") + ", ".join(parts[1:])
    order = {
        SORT_RELEVANCE: _("par pertinence"),
        SORT_NEWEST: _("du plus récent au plus ancien"),
        SORT_OLDEST: _("du plus ancien au plus récent"),
    }[params.sort]
    return f"{sentence} ({order})." if total > 1 else f"{sentence}."


def _head(params: SearchParams, total: int) -> str:
    """« Aucun article », « 12 articles », or « 12 articles publiés » when nothing is asked."""
    count = number_format(total, force_grouping=True)
    if params.is_browsing:
        return ngettext("%(count)s article publié", "%(count)s articles publiés", total) % {
            "count": count
        }
    if total == 0:
        return _("Aucun article")
    return ngettext("%(count)s article", "%(count)s articles", total) % {"count": count}


def _filter_parts(params: SearchParams, total: int) -> list[str]:
    """One phrase per facet with a selection, one per facet with exclusions; sources last."""
    label = params.label
    described = [
        ("lieu", _("à %(value)s"), _("sauf à %(value)s")),
        ("intervenant", _("citant %(value)s"), _("sans citer %(value)s")),
        ("reunion", _("sur la réunion %(value)s"), _("hors de la réunion %(value)s")),
        ("type", _("lors d’une réunion de type « %(value)s »"), _("hors réunions « %(value)s »")),
        ("annee", _("en %(value)s"), _("sauf en %(value)s")),
        ("langue", _("en %(value)s"), _("sauf en %(value)s")),
    ]
    parts = []
    for key, positive, negative in described:
        selected = params.selected.get(key, ())
        excluded = params.excluded.get(key, ())
        if selected:
            parts.append(
                _join_or(
                    [positive % {"value": _lower_language(key, label(key, v))} for v in selected]
                )
            )
        if excluded:
            parts.append(
                ", ".join(
                    negative % {"value": _lower_language(key, label(key, v))} for v in excluded
                )
            )
    sources = params.selected.get("source", ())
    if sources:
        names = _join_or([label("source", v) for v in sources])
        parts.append(
            ngettext("paru dans %(sources)s", "parus dans %(sources)s", total) % {"sources": names}
        )
    for slug in params.excluded.get("source", ()):
        parts.append(_("hors %(source)s") % {"source": label("source", slug)})
    return parts


def _date_range(params: SearchParams) -> str:
    if params.date_from and params.date_to:
        return _("du %(start)s au %(end)s") % {
            "start": date_format(params.date_from),
            "end": date_format(params.date_to),
        }
    if params.date_from:
        return _("depuis le %(date)s") % {"date": date_format(params.date_from)}
    if params.date_to:
        return _("jusqu’au %(date)s") % {"date": date_format(params.date_to)}
    return ""


def _lower_language(key: str, label: str) -> str:
    # « en Français » reads wrong: language names are common nouns in French.
    return label.lower() if key == "langue" else label


def _join_or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s ou %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _join_and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s et %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _quoted(node) -> str:
    text = f"{node.text}…" if isinstance(node, Prefix) else node.text
    return _("« %(text)s »") % {"text": text}


def _describe_query(tree) -> str:
    if tree is None:
        return ""
    children = tree.children if isinstance(tree, And) else (tree,)
    required = [child for child in children if isinstance(child, Term | Phrase | Prefix)]
    excluded = [
        child.child
        for child in children
        if isinstance(child, Not) and isinstance(child.child, Term | Phrase | Prefix)
    ]
    if len(required) + len(excluded) != len(children):
        return " " + _("correspondant à « %(query)s »") % {"query": _render(tree)}
    text = ""
    if required:
        text += " " + _("contenant %(words)s") % {
            "words": _join_and([_quoted(n) for n in required])
        }
    if excluded:
        text += (" " if not required else ", ") + _("sans %(words)s") % {
            "words": _join_or([_quoted(n) for n in excluded])
        }
    return text


def _render(node) -> str:
    """The query tree written back in the query syntax (for the restated sentence)."""
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Prefix):
        return f"{node.text}*"
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Not):
        return f"-{_render(node.child)}"
    if isinstance(node, And):
        return " ".join(
            f"({_render(child)})" if isinstance(child, Or) else _render(child)
            for child in node.children
        )
    if isinstance(node, Or):
        return " OR ".join(_render(child) for child in node.children)
    return ""

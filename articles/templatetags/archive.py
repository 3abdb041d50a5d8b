"""Template helpers for the public pages: dates as a reader writes them, the coverage chart."""

import datetime
from collections import Counter

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()

# The coverage chart's window, in days relative to the meeting's first day.
WINDOW_BEFORE = 7
WINDOW_AFTER = 14
CHART_WIDTH = 660
CHART_TOP = 20
CHART_HEIGHT = 140
CHART_BOTTOM = 30
MINUS = "\u2212"


@register.filter
def article_date(day: datetime.date | None) -> str:
    """A publication date in words, or "date inconnue"."""
    return date_format(day, "j F Y") if day else _("date inconnue")


@register.simple_tag
def meeting_dates(meeting) -> str:
    """``3 décembre 2014``, ``12–13 février 2019``, ``30 novembre – 1 décembre 2016``."""
    start, end = meeting.start_date, meeting.end_date
    if start == end:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


def day_label(offset: int) -> str:
    """J−3, J, J+2 (D−3, D, D+2 in English): a day relative to the meeting's first day."""
    if offset == 0:
        return _("J")
    sign = "+" if offset > 0 else MINUS
    return _("J%(sign)s%(days)s") % {"sign": sign, "days": abs(offset)}


def coverage(meeting, articles) -> dict:
    """Published articles per day from J−7 to J+14, with the bars of a chart drawn to scale."""
    per_day = Counter()
    before = after = undated = 0
    for article in articles:
        if article.published_on is None:
            undated += 1
            continue
        offset = (article.published_on - meeting.start_date).days
        if offset < -WINDOW_BEFORE:
            before += 1
        elif offset > WINDOW_AFTER:
            after += 1
        else:
            per_day[offset] += 1
    offsets = range(-WINDOW_BEFORE, WINDOW_AFTER + 1)
    peak = max(per_day.values(), default=0)
    step = CHART_WIDTH / len(offsets)
    meeting_length = (meeting.end_date - meeting.start_date).days
    days = []
    for index, offset in enumerate(offsets):
        count = per_day[offset]
        height = round(CHART_HEIGHT * count / peak, 1) if peak else 0
        days.append(
            {
                "offset": offset,
                "label": day_label(offset),
                "date": meeting.start_date + datetime.timedelta(days=offset),
                "count": count,
                "is_meeting_day": 0 <= offset <= meeting_length,
                "x": round(index * step + 3, 1),
                "centre": round(index * step + step / 2, 1),
                "width": round(step - 6, 1),
                "y": round(CHART_TOP + CHART_HEIGHT - height, 1),
                "height": height,
                "label_y": round(CHART_TOP + CHART_HEIGHT - height - 5, 1),
                "show_tick": offset % 7 == 0,
            }
        )
    peak_day = max(days, key=lambda day: day["count"]) if peak else None
    return {
        "days": days,
        "days_with_articles": [day for day in days if day["count"]],
        "in_window": sum(per_day.values()),
        "before": before,
        "after": after,
        "undated": undated,
        "peak_day": peak_day,
        "width": CHART_WIDTH,
        "height": CHART_TOP + CHART_HEIGHT + CHART_BOTTOM,
        "baseline": CHART_TOP + CHART_HEIGHT,
        "tick_y": CHART_TOP + CHART_HEIGHT + 20,
        "first_label": day_label(-WINDOW_BEFORE),
        "last_label": day_label(WINDOW_AFTER),
    }


@register.inclusion_tag("articles/_coverage_chart.html")
def coverage_chart(meeting, articles):
    return {"meeting": meeting, "chart": coverage(meeting, articles)}

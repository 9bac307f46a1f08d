"""The public events as an iCalendar feed (RFC 5545), so a calendar app can subscribe.

Events are all-day (DTSTART;VALUE=DATE, DTEND the day after the last); text is escaped and lines
folded at 75 octets as the standard asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from kechuang.popularization.models import Event


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a character."""
    out, piece, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not out else 74):
            out.append(piece)
            piece, size = "", 0
        piece += ch
        size += n
    out.append(piece)
    return "\r\n ".join(out)


def feed(events: Iterable[Event], *, url_of: Callable[[Event], str], now: dt.datetime) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kechuang//Science popularization//ZH",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + _escape("科普活动日历"),
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for e in events:
        details = f"{e.get_kind_display()} · {e.organizer_display} · {e.get_audience_display()}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{e.pk}@kechuang",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{e.starts_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.ends_on + dt.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + _escape(e.title),
            "LOCATION:" + _escape(e.venue),
            "DESCRIPTION:" + _escape(details),
            f"URL:{url_of(e)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"

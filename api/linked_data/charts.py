"""Charts drawn on the server as plain SVG strings: no JavaScript, no CDN, readable without scripts.

Each function takes plain Python data (dates, numbers, labels) so it is testable without a store;
``api.linked_data.chart_data`` does the querying.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

W, H = 720, 280
PAD_L, PAD_R, PAD_T, PAD_B = 56, 16, 24, 40
PALETTE = [
    "#1f5f99",
    "#c0392b",
    "#2e8b57",
    "#8e44ad",
    "#d35400",
    "#16a085",
    "#7f8c8d",
    "#b7950b",
    "#2c3e50",
    "#e84393",
]


def _svg(title: str, body: list[str], desc: str = "") -> str:
    t = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-label="{t}" '
        f'class="chart"><title>{t}</title>'
        + (f"<desc>{escape(desc)}</desc>" if desc else "")
        + "".join(body)
        + "</svg>"
    )


def _empty(title: str) -> str:
    return _svg(title, [f'<text x="{W / 2}" y="{H / 2}" text-anchor="middle" class="muted">no data</text>'])


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1
    mag = 10 ** (len(str(int(v))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


def _y_axis(ymax: float, fmt=lambda v: f"{v:g}") -> list[str]:
    out = []
    for i in range(5):
        v = ymax * i / 4
        y = H - PAD_B - (H - PAD_T - PAD_B) * i / 4
        out.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(
            f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{escape(fmt(v))}</text>'
        )
    return out


def _years_axis(d0: date, d1: date, x) -> list[str]:
    out = []
    span = max(1, d1.year - d0.year)
    step = 1 if span <= 10 else 2 if span <= 20 else 5
    for year in range(d0.year + (0 if d0.month == 1 and d0.day == 1 else 1), d1.year + 1):
        if year % step:
            continue
        xx = x(date(year, 1, 1))
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{H - PAD_B}" y2="{H - PAD_B + 4}" class="axis"/>')
        out.append(f'<text x="{xx:.1f}" y="{H - PAD_B + 16}" text-anchor="middle" class="tick">{year}</text>')
    return out


def states_parties_over_time(periods: list[tuple[date, date | None]], today: date | None = None) -> str:
    """A step line: how many states were party on each day (membership start inclusive, end exclusive)."""
    title = "Number of States Parties over time"
    if not periods:
        return _empty(title)
    today = today or date.today()
    events: dict[date, int] = {}
    for start, end in periods:
        events[start] = events.get(start, 0) + 1
        if end is not None:
            events[end] = events.get(end, 0) - 1
    days = sorted(events)
    d0, d1 = days[0], max(days[-1], today)
    total, points = 0, []
    for day in days:
        total += events[day]
        points.append((day, total))
    ymax = _nice_max(max(v for _, v in points))
    span = max(1, (d1 - d0).days)

    def x(d: date) -> float:
        return PAD_L + (W - PAD_L - PAD_R) * (d - d0).days / span

    def y(v: float) -> float:
        return H - PAD_B - (H - PAD_T - PAD_B) * v / ymax

    path, prev = [], None
    for day, v in points:
        if prev is None:
            path.append(f"M{x(day):.1f},{y(v):.1f}")
        else:
            path.append(f"H{x(day):.1f}V{y(v):.1f}")
        prev = v
    path.append(f"H{x(d1):.1f}")
    body = _y_axis(ymax) + _years_axis(d0, d1, x)
    body.append(f'<path d="{"".join(path)}" class="series" stroke="{PALETTE[0]}" fill="none"/>')
    last = points[-1][1]
    body.append(f'<text x="{W - PAD_R}" y="{y(last) - 6:.1f}" text-anchor="end" class="value">{last}</text>')
    return _svg(title, body, f"{last} States Parties on {d1.isoformat()}")


def sessions_timeline(sessions: list[tuple[date, str, str | None]]) -> str:
    """Sessions as dots along a time axis; each dot links to its session page."""
    title = "Timeline of sessions"
    if not sessions:
        return _empty(title)
    sessions = sorted(sessions)
    d0, d1 = date(sessions[0][0].year, 1, 1), date(sessions[-1][0].year + 1, 1, 1)
    span = max(1, (d1 - d0).days)

    def x(d: date) -> float:
        return PAD_L + (W - PAD_L - PAD_R) * (d - d0).days / span

    mid = (H - PAD_B + PAD_T) / 2
    body = [f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{mid}" y2="{mid}" class="axis"/>']
    body += _years_axis(d0, d1, x)
    for n, (day, label, href) in enumerate(sessions):
        cy = mid + (-18 if n % 2 else 18)
        dot = (
            f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{mid}" y2="{cy:.1f}" class="grid"/>'
            f'<circle cx="{x(day):.1f}" cy="{cy:.1f}" r="5" fill="{PALETTE[0]}">'
            f"<title>{escape(label)} ({day.isoformat()})</title></circle>"
        )
        body.append(f'<a href="{escape(href)}">{dot}</a>' if href else dot)
    return _svg(title, body, f"{len(sessions)} sessions from {sessions[0][0]} to {sessions[-1][0]}")


def votes_per_round(
    rounds: list[int], series: dict[str, dict[int, int]], required: dict[int, int] | None = None
) -> str:
    """One line per candidate across the rounds, with the votes required as a dashed line."""
    title = "Votes per round"
    if not rounds or not series:
        return _empty(title)
    rounds = sorted(rounds)
    top = max([v for s in series.values() for v in s.values()] + list((required or {}).values()) + [1])
    ymax = _nice_max(top)
    n = len(rounds)
    legend_w = 170
    plot_r = W - PAD_R - legend_w

    def x(r: int) -> float:
        return PAD_L + (plot_r - PAD_L) * (rounds.index(r) + 0.5) / n

    def y(v: float) -> float:
        return H - PAD_B - (H - PAD_T - PAD_B) * v / ymax

    body = _y_axis(ymax)
    for r in rounds:
        body.append(f'<text x="{x(r):.1f}" y="{H - PAD_B + 16}" text-anchor="middle" class="tick">{r}</text>')
    body.append(
        f'<text x="{(PAD_L + plot_r) / 2:.1f}" y="{H - 6}" text-anchor="middle" class="tick">round</text>'
    )
    if required:
        need = " ".join(f"{x(r):.1f},{y(v):.1f}" for r, v in sorted(required.items()) if r in rounds)
        body.append(
            f'<polyline points="{need}" class="required" fill="none"><title>votes required</title></polyline>'
        )
    for i, (name, votes) in enumerate(sorted(series.items())):
        colour = PALETTE[i % len(PALETTE)]
        pts = [(r, v) for r, v in sorted(votes.items()) if r in rounds]
        body.append(
            f'<polyline points="{" ".join(f"{x(r):.1f},{y(v):.1f}" for r, v in pts)}" '
            f'stroke="{colour}" class="series" fill="none"/>'
        )
        for r, v in pts:
            body.append(
                f'<circle cx="{x(r):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)}: {v} votes in round {r}</title></circle>"
            )
        ly = PAD_T + 14 * i
        if ly < H - PAD_B:
            body.append(
                f'<rect x="{plot_r + 12}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
                f'<text x="{plot_r + 26}" y="{ly + 1}" class="legend">{escape(name[:26])}</text>'
            )
    return _svg(title, body, f"{len(series)} candidates over {n} rounds")


def budgets_per_year(amounts: dict[int, float], currency: str = "EUR") -> str:
    """Bars of the approved budget per year, in millions."""
    title = "Approved budget per year"
    if not amounts:
        return _empty(title)
    years = sorted(amounts)
    ymax = _nice_max(max(amounts.values()) / 1e6)
    slot = (W - PAD_L - PAD_R) / len(years)

    def y(v: float) -> float:
        return H - PAD_B - (H - PAD_T - PAD_B) * v / ymax

    body = _y_axis(ymax, lambda v: f"{v:g}M")
    step = max(1, len(years) // 12)
    for i, year in enumerate(years):
        m = amounts[year] / 1e6
        bx = PAD_L + slot * i + slot * 0.15
        body.append(
            f'<rect x="{bx:.1f}" y="{y(m):.1f}" width="{slot * 0.7:.1f}" height="{H - PAD_B - y(m):.1f}" '
            f'fill="{PALETTE[0]}"><title>{year}: {amounts[year]:,.0f} {escape(currency)}</title></rect>'
        )
        if i % step == 0:
            body.append(
                f'<text x="{bx + slot * 0.35:.1f}" y="{H - PAD_B + 16}" text-anchor="middle" '
                f'class="tick">{year}</text>'
            )
    return _svg(title, body, f"approved budgets {years[0]}-{years[-1]} in millions of {currency}")

"""Plotly figures from progress results: rows in, figure JSON out. Never touches the database.

Figures travel to the page as JSON in a data element and are drawn by static/js/boards.js with
our own copy of plotly.js (no inline script, no CDN). Text from users (names) is HTML-escaped
before it reaches Plotly, whose labels understand a little HTML.

A figure is Plotly's figure schema as plain dicts ({"data": [traces], "layout": {...}}):
building plotly.graph_objects validates every property on every request (18 of the
dashboard's 160 ms on the bench province, docs/performance.md); the tests validate each figure
against Plotly's schema once instead (tests/test_boards.py).
"""

from __future__ import annotations

import html
import json
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .i18n import number, percent
from .periods import Period
from .vocab import FUNNEL_STEPS

COLORS = {
    "actual": "#0d6e6e",
    "target": "#c0392b",
    "expected": "#8a8f98",
    "forecast": "#0d6e6e",
    "bar": "#5fa8a8",
    "estimate": "#a7d3d3",
}


def label(text: str) -> str:
    """Text for a Plotly label, which reads a little HTML: <, > and & escaped so no markup gets
    through. Quotes stay as they are: Plotly knows no &quot; and would show it literally."""
    return html.escape(text, quote=False)


def _layout(title: str, x_title: str = "", y_title: str = "", height: int = 360) -> dict:
    vietnamese = str(get_locale()) == "vi"
    return {
        "title": {"text": label(title), "x": 0, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 48, "b": 48},
        "separators": ",." if vietnamese else ".,",
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.22},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "system-ui, 'Liberation Sans', Arial, sans-serif"},
        "hoverlabel": {"namelength": -1},
    }


def _figure(layout: dict, *traces: dict) -> dict:
    return {"data": list(traces), "layout": layout}


def _plain(value):
    """Numbers and days from the database as JSON knows them (Decimal targets, dates)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(figure: dict) -> Markup:
    """Figure JSON safe inside <script type="application/json">: no "</script>" can appear."""
    text = json.dumps(figure, ensure_ascii=False, separators=(",", ":"), default=_plain)
    safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Why B704 does not apply: <, > and & are escaped above: no markup survives
    return Markup(safe)  # nosec B704


def _line(x: list, y: list, name: str, line: dict, hover: str, mode: str = "lines") -> dict:
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "name": name,
        "mode": mode,
        "line": line,
        "hovertemplate": hover,
    }


def burnup(
    title: str,
    period: Period,
    today: date,
    daily: dict[date, int],
    target: float | None,
    forecast: float | None,
) -> dict:
    """Cumulative actual against the target and the expected-pace line, with the forecast."""
    last = min(today, period.end)
    days, cumulative, running = [], [], 0
    day = period.start
    while day <= last:
        running += daily.get(day, 0)
        days.append(day.isoformat())
        cumulative.append(running)
        day += timedelta(days=1)
    layout = _layout(title, _("Date"), _("Cumulative"))
    ends = [period.start.isoformat(), period.end.isoformat()]
    layout["xaxis"].update(tickformat="%d/%m", range=ends)
    hover = "%{x|%d/%m/%Y}: %{y:,.0f}<extra>%{fullData.name}</extra>"
    traces = [_line(days, cumulative, _("Actual"), {"color": COLORS["actual"], "width": 3}, hover)]
    if target is not None:
        traces += [
            _line(
                ends,
                [target, target],
                _("Target"),
                {"color": COLORS["target"], "dash": "dot"},
                hover,
            ),
            _line(
                ends,
                [0, target],
                _("Expected pace"),
                {"color": COLORS["expected"], "dash": "dash"},
                hover,
            ),
        ]
    if forecast is not None and days and last < period.end:
        forecast_line = {"color": COLORS["forecast"], "dash": "dot", "width": 2}
        traces.append(
            _line([days[-1], ends[1]], [running, forecast], _("Forecast"), forecast_line, hover)
        )
    return _figure(layout, *traces)


def participants_by_year(
    title: str, points: list[tuple[str, int, bool]], target: tuple[str, float] | None
) -> dict:
    """Participants at each year's end (the last one may be an estimate), with the target."""
    bars = {
        "type": "bar",
        "x": [label for label, _value, _estimate in points],
        "y": [value for _label, value, _estimate in points],
        "marker": {
            "color": [
                COLORS["estimate"] if estimate else COLORS["bar"]
                for _label, _value, estimate in points
            ]
        },
        "text": [number(value) for _label, value, _estimate in points],
        "textposition": "outside",
        "name": _("Participants"),
        "hovertemplate": "%{x}: %{y:,.0f}<extra></extra>",
    }
    traces = [bars]
    if target is not None:
        label, value = target
        traces.append(
            {
                "type": "scatter",
                "x": [label],
                "y": [value],
                "mode": "markers+text",
                "name": _("Target"),
                "marker": {
                    "symbol": "line-ew-open",
                    "size": 40,
                    "color": COLORS["target"],
                    "line": {"width": 3},
                },
                "text": [_("target %(value)s", value=number(value))],
                "textposition": "top center",
                "hovertemplate": _("Target") + ": %{y:,.0f}<extra></extra>",
            }
        )
    return _figure(_layout(title, "", _("Participants")), *traces)


def areas_against_targets(title: str, rows: list[tuple[str, int | None, float | None]]) -> dict:
    """Wards and communes ranked by participants (horizontal bars), each with its target."""
    ordered = sorted(rows, key=lambda r: r[1] or 0)
    names = [label(name) for name, _value, _target in ordered]
    layout = _layout(title, _("Participants"), "", height=max(320, 28 * len(rows) + 100))
    layout["margin"]["l"] = 110
    bars = {
        "type": "bar",
        "y": names,
        "x": [value or 0 for _name, value, _target in ordered],
        "orientation": "h",
        "name": _("Participants"),
        "marker": {"color": COLORS["bar"]},
        "hovertemplate": "%{y}: %{x:,.0f}<extra>" + _("Participants") + "</extra>",
    }
    targets = {
        "type": "scatter",
        "y": names,
        "x": [target for _name, _value, target in ordered],
        "mode": "markers",
        "name": _("Target"),
        "marker": {
            "symbol": "line-ns-open",
            "size": 18,
            "color": COLORS["target"],
            "line": {"width": 3},
        },
        "hovertemplate": "%{y}: %{x:,.0f}<extra>" + _("Target") + "</extra>",
    }
    return _figure(layout, bars, targets)


def funnel(title: str, stages: dict[str, int]) -> dict:
    """{step: households} of progress.funnel, in order, each step within the one before: a
    step shows its share of the one before it. Horizontal bars, first step on top: Plotly's
    funnel trace is not in the cartesian bundle phones load (static/vendor/plotly)."""
    steps, values = list(stages), list(stages.values())
    labels, hovers = ([number(values[0])], [number(values[0])]) if values else ([], [])
    for before, value in zip(values, values[1:], strict=False):
        share = percent(value / before if before else None, 0)
        labels.append(f"{number(value)} · {share}")  # short: it sits beside the bar
        hovers.append(
            _("%(value)s (%(share)s of the step before)", value=number(value), share=share)
        )
    layout = _layout(title)
    layout["margin"]["l"] = 8
    layout["showlegend"] = False
    layout["yaxis"].update(autorange="reversed", automargin=True)
    # room beside the longest bar for its label, which is drawn outside the bar
    layout["xaxis"]["range"] = [0, max(values or [0]) * 1.4 or 1]
    bars = {
        "type": "bar",
        "y": [str(FUNNEL_STEPS[step]) for step in steps],
        "x": values,
        "orientation": "h",
        "marker": {"color": ["#a7d3d3", "#3f9292", "#0d6e6e"][: len(values)]},
        "text": labels,
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": hovers,
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
    }
    return _figure(layout, bars)


def plotly_config() -> dict:
    """What static/js/boards.js hands Plotly besides the figure: the locale (month names from
    plotly.js's own vi locale) and the words of its toolbar and hints, in the user's language."""
    words = {
        "Download plot as a PNG": _("Download the chart as a PNG image"),
        "Download plot": _("Download the chart"),
        "Zoom": _("Zoom"),
        "Pan": _("Pan"),
        "Reset axes": _("Reset axes"),
        "Autoscale": _("Autoscale"),
        "Double-click to zoom back out": _("Double-click to zoom back out"),
        "Double-click on legend to isolate one trace": _(
            "Double-click on the legend to show one line only"
        ),
        "Taking snapshot - this may take a few seconds": _("Taking the image…"),
        "Snapshot succeeded": _("Image saved"),
        "Sorry, there was a problem downloading your snapshot!": _("The image could not be saved."),
    }
    locale = "vi" if str(get_locale()) == "vi" else "en"
    return {"locale": locale, "dictionary": words}


def init_app(app) -> None:
    app.jinja_env.globals["plotly_config"] = plotly_config


def activity_calendar(title: str, period: Period, daily: dict[date, int]) -> dict:
    """Contacts per day as a calendar: one column a week, one row a weekday."""
    weekdays = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    first_monday = period.start - timedelta(days=period.start.weekday())
    weeks = (period.end - first_monday).days // 7 + 1
    grid = [[None] * weeks for _day in range(7)]
    dates = [[""] * weeks for _day in range(7)]
    day = period.start
    while day <= period.end:
        week = (day - first_monday).days // 7
        grid[day.weekday()][week] = daily.get(day, 0)
        dates[day.weekday()][week] = day.strftime("%d/%m/%Y")
        day += timedelta(days=1)
    mondays = [(first_monday + timedelta(weeks=w)).strftime("%d/%m") for w in range(weeks)]
    layout = _layout(title, _("Week of"), "", height=260)
    layout["yaxis"]["autorange"] = "reversed"
    heatmap = {
        "type": "heatmap",
        "z": grid,
        "x": mondays,
        "y": weekdays,
        "customdata": dates,
        "xgap": 2,
        "ygap": 2,
        "colorscale": [[0, "#eef6f6"], [1, "#0d6e6e"]],
        "showscale": False,
        "hovertemplate": "%{customdata}: %{z} " + _("contacts") + "<extra></extra>",
    }
    return _figure(layout, heatmap)

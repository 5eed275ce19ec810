"""Charts as plain geometry for server-side SVG: bars with their numbers, and a text equivalent.

No drawing library: a stacked bar chart and a column chart are a few rectangles, and keeping
them as data lets the page draw them with CSS classes (the CSP allows no inline styles) and
show the same numbers as a table for screen readers.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    """One rectangle, the series it belongs to, and what it stands for."""

    x: float
    y: float
    width: float
    height: float
    series: str
    label: str


@dataclass(frozen=True)
class Text:
    """A label placed on the chart."""

    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class Chart:
    """A chart to draw, with its rows as a table for those who cannot see it."""

    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[int]]] = field(default_factory=list)
    # (series, its name) for the legend; one colour needs none.
    legend: list[tuple[str, str]] = field(default_factory=list)


def stacked_bars(
    rows: list[tuple[str, list[int]]],
    series: list[str],
    names: dict[str, str],
    *,
    width: int = 640,
    row_height: int = 28,
    label_width: int = 200,
) -> Chart:
    """One horizontal bar per row, split into its series; rows are (label, counts per series)."""
    total = max((sum(counts) for _, counts in rows), default=0) or 1
    usable = width - label_width - 40
    chart = Chart(
        width=width,
        height=row_height * len(rows) + 10,
        columns=[names.get(s, s) for s in series],
        rows=rows,
        legend=[(s, names.get(s, s)) for s in series],
    )
    for index, (label, counts) in enumerate(rows):
        y = 5 + index * row_height
        chart.texts.append(Text(label_width - 8, y + row_height * 0.6, label, "end"))
        x = float(label_width)
        for key, count in zip(series, counts, strict=True):
            if count:
                length = usable * count / total
                chart.bars.append(
                    Bar(
                        x, y, length, row_height - 8, key, f"{label}: {names.get(key, key)} {count}"
                    )
                )
                x += length
        chart.texts.append(Text(x + 6, y + row_height * 0.6, str(sum(counts))))
    return chart


def columns(
    points: list[tuple[str, int]], *, series: str, name: str, width: int = 640, height: int = 200
) -> Chart:
    """One column per point (label, count), with the count above it."""
    top = max((count for _, count in points), default=0) or 1
    slot = width / max(len(points), 1)
    base = height - 30
    chart = Chart(width=width, height=height, columns=[name], rows=[(p, [c]) for p, c in points])
    for index, (label, count) in enumerate(points):
        bar_height = (base - 20) * count / top
        x = index * slot + slot * 0.15
        chart.bars.append(
            Bar(x, base - bar_height, slot * 0.7, bar_height, series, f"{label}: {count}")
        )
        chart.texts.append(Text(x + slot * 0.35, base - bar_height - 5, str(count), "middle"))
        chart.texts.append(Text(x + slot * 0.35, height - 10, label, "middle"))
    return chart

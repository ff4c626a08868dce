"""Indicator comparisons for the public neighbourhood page, drawn as server-side SVG bar charts.

A comparison row puts the neighbourhood's value beside the commune's, the region's and France's
where the portal holds them. Today the only reference the sources give is the commune's
population (``pop_com``, same INSEE file and vintage as the neighbourhood's ``pop_mun``): every
other reference is « non disponible », never an invented or averaged figure.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from neighbourhoods.enums import IndicatorUnit, ValueStatus
from neighbourhoods.models import Indicator, IndicatorValue, format_number

REFERENCE_TERRITORIES = (("commune", "Commune"), ("region", "Région"), ("france", "France"))

# indicator code → {territory: code of the indicator, stored on the same neighbourhood row,
# that gives the reference territory's value from the same source and vintage}.
REFERENCES: dict[str, dict[str, str]] = {"pop_mun": {"commune": "pop_com"}}

# Indicators that are themselves references: shown beside their indicator, not on their own.
REFERENCE_CODES = {code for refs in REFERENCES.values() for code in refs.values()}

NOT_AVAILABLE = "non disponible"
SECRET = "secret statistique"

# Geometry of the charts (SVG user units).
CHART_WIDTH = 640
LABEL_WIDTH = 150
VALUE_WIDTH = 130
BAR_HEIGHT = 18
BAR_GAP = 6
GROUP_GAP = 14
TITLE_HEIGHT = 22


@dataclass
class Cell:
    """One value of a comparison: a number, a secret, or nothing."""

    territory: str
    label: str
    value: Decimal | None = None
    status: str = ValueStatus.MISSING
    unit: str = ""
    year: int | None = None

    @property
    def text(self) -> str:
        if self.status == ValueStatus.SECRET:
            return SECRET
        if self.value is None:
            return NOT_AVAILABLE
        return format_number(self.value, self.unit)

    @property
    def is_secret(self) -> bool:
        return self.status == ValueStatus.SECRET


@dataclass
class Comparison:
    indicator: Indicator
    year: int
    cells: list[Cell]

    @property
    def own(self) -> Cell:
        return self.cells[0]


@dataclass
class Bar:
    label: str
    text: str
    y: int
    width: int
    has_value: bool
    is_own: bool

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + 4 + self.width + 4


@dataclass
class BarGroup:
    title: str
    y: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    """A horizontal bar chart: one group per indicator, one bar per territory with a value.
    Each indicator has its own scale (0–100 for a percentage, else its largest value)."""

    groups: list[BarGroup]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH + 4
    bar_space: int = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 8
    bar_height: int = BAR_HEIGHT


@dataclass
class ComparisonGroup:
    """The indicators of one source and vintage: a table and a chart of the same numbers."""

    source: str
    vintage: str
    comparisons: list[Comparison]
    chart: Chart | None = None
    number: int = 0

    @property
    def chart_id(self) -> str:
        return f"graphique-indicateurs-{self.number}"

    @property
    def table_id(self) -> str:
        return f"tableau-indicateurs-{self.number}"


def _cell(territory: str, label: str, value: IndicatorValue | None, unit: str) -> Cell:
    if value is None:
        return Cell(territory, label, unit=unit)
    return Cell(territory, label, value.value, value.status, unit, value.year)


def indicator_comparisons(values: list[IndicatorValue]) -> list[ComparisonGroup]:
    """Latest value of each indicator (``values`` with their indicator loaded) and its
    references, grouped by source and vintage in catalogue order of first appearance."""
    latest: dict[str, IndicatorValue] = {}
    for value in sorted(values, key=lambda v: (v.indicator.code, -v.year)):
        latest.setdefault(value.indicator.code, value)
    groups: dict[tuple[str, str], ComparisonGroup] = {}
    for code, value in sorted(latest.items(), key=lambda item: item[1].indicator.label):
        if code in REFERENCE_CODES:
            continue
        indicator = value.indicator
        cells = [_cell("neighbourhood", "Quartier", value, indicator.unit)]
        for territory, label in REFERENCE_TERRITORIES:
            reference_code = REFERENCES.get(code, {}).get(territory)
            reference = latest.get(reference_code) if reference_code else None
            if reference is not None and reference.year != value.year:
                reference = None  # a reference of another year is not comparable
            cells.append(_cell(territory, label, reference, indicator.unit))
        key = (indicator.source, indicator.vintage)
        group = groups.setdefault(key, ComparisonGroup(indicator.source, indicator.vintage, []))
        group.comparisons.append(Comparison(indicator, value.year, cells))
    ordered = sorted(groups.values(), key=lambda g: (g.source, g.vintage))
    for number, group in enumerate(ordered, start=1):
        group.chart, group.number = bar_chart(group.comparisons), number
    return ordered


def bar_chart(comparisons: list[Comparison]) -> Chart:
    """Bars share one scale per unit within the chart (0–100 for percentages, else the largest
    value of that unit), so that two amounts in euros can be compared by their lengths."""
    scales: dict[str, Decimal] = {IndicatorUnit.PERCENT: Decimal(100)}
    for comparison in comparisons:
        unit = comparison.indicator.unit
        if unit == IndicatorUnit.PERCENT:
            continue
        for cell in comparison.cells:
            if cell.value is not None:
                scales[unit] = max(scales.get(unit, Decimal(0)), abs(cell.value))
    groups: list[BarGroup] = []
    y = 0
    bar_space = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 8
    for comparison in comparisons:
        group = BarGroup(comparison.indicator.label, y + TITLE_HEIGHT - 6)
        y += TITLE_HEIGHT
        scale = scales.get(comparison.indicator.unit, Decimal(0))
        # The neighbourhood always has a line (its value, « secret statistique » or « non
        # disponible »); a reference without data is left out of the chart, the table says so.
        for cell in comparison.cells:
            if cell.territory != "neighbourhood" and cell.value is None:
                continue
            width = (
                round(float(abs(cell.value) / scale) * bar_space)
                if cell.value is not None and scale
                else 0
            )
            group.bars.append(
                Bar(
                    cell.label,
                    cell.text,
                    y,
                    max(width, 1) if cell.value else width,
                    cell.value is not None,
                    cell.territory == "neighbourhood",
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
        groups.append(group)
    return Chart(groups=groups, height=y)

"""The Figure shape: fields, validation, display and JSON."""

from __future__ import annotations

import datetime as dt
import json

import pydantic
import pytest

from tools.figure import METRICS, Figure

RECORDED_KEYS = {  # the keys golden answers were recorded with: never renamed
    "metric",
    "symbol",
    "value",
    "unit",
    "start",
    "end",
    "convention",
    "params",
    "as_of",
    "provider",
    "fetched_at",
    "stale",
    "formula",
}
# Added later for price adjustments (label, input prices, adjustments, caveats).
ADDED = {"label", "inputs", "adjustments", "caveats"}
KEYS = RECORDED_KEYS | ADDED  # the Figure JSON contract


def make(metric: str = "return", value: float = 7.530726, unit: str = "%", **kw: object) -> Figure:
    return Figure(metric=metric, symbol="^RUT", value=value, unit=unit, **kw)  # type: ignore[arg-type]


def test_the_fields_are_exactly_the_receipt() -> None:
    assert set(Figure.model_fields) == KEYS


@pytest.mark.parametrize(
    ("metric", "value", "unit", "en", "zh"),
    [
        ("return", 7.530726, "%", "+7.53%", "+7.53%"),
        ("return", -0.004, "%", "-0.00%", "-0.00%"),
        ("change_points", 186.929931, "points", "+186.93 points", "+186.93 点"),
        ("sma", 2601.575989, "points", "2,601.58", "2,601.58"),
        ("last_close", 2669.16, "points", "2,669.16", "2,669.16"),
        ("volatility_annual", 15.4661, "%", "15.47%", "15.47%"),
        ("max_drawdown", -4.2012, "%", "-4.20%", "-4.20%"),
        ("spread", 5.78, "pp", "+5.78 pp", "+5.78 个百分点"),
        ("beta", 1.0712, "ratio", "1.07", "1.07"),
    ],
)
def test_display_in_both_languages(metric: str, value: float, unit: str, en: str, zh: str) -> None:
    figure = make(metric, value, unit)
    assert figure.display() == en
    assert figure.display("zh") == zh


def test_to_json_has_exactly_the_keys_and_plain_values() -> None:
    figure = make(
        start=dt.date(2025, 12, 1),
        end=dt.date(2026, 1, 23),
        as_of=dt.date(2026, 1, 23),
        fetched_at=dt.datetime(2026, 1, 26, 21, 0, tzinfo=dt.UTC),
        params={"completeness": 1.0},
        convention="open",
        formula="Close[2026-01-23] / Open[2025-12-01] - 1",
    )
    data = figure.to_json()
    assert set(data) == KEYS
    assert data["value"] == 7.530726
    assert data["start"] == "2025-12-01"
    assert json.loads(json.dumps(data)) == data


def test_a_figure_is_frozen() -> None:
    figure = make()
    with pytest.raises(pydantic.ValidationError):
        figure.value = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_figure_must_be_a_finite_number(bad: float) -> None:
    with pytest.raises(pydantic.ValidationError, match="finite"):
        make(value=bad)


def test_an_unknown_metric_or_unit_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="unknown metric"):
        make(metric="retrun")
    with pytest.raises(pydantic.ValidationError):
        make(unit="percent")
    assert "return" in METRICS
    assert "sector_change" in METRICS

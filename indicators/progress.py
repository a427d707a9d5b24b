"""Pure progress maths for indicators: direction-aware progress, trajectory, status, aggregation.

Everything here is plain Python over numbers (``int``, ``float``, ``Decimal``, ``Fraction``) and
``datetime.date`` values: no I/O, no database, no pandas.  Strings are never accepted as numbers.

Definitions
-----------
baseline, target
    Indicator values at ``baseline_date`` and ``target_date``.
trajectory / expected value
    The straight line from ``(baseline_date, baseline)`` to ``(target_date, target)``.  Before
    the baseline date the expected value is the baseline, after the target date it is the target
    (the line is held flat outside the planned period).
progress percent (raw)
    ``(actual - baseline) / (target - baseline) * 100``: percent of the way from baseline to
    target.  Because the sign of ``target - baseline`` encodes the direction, a *drop* counts as
    progress for a ``decrease`` indicator.  The raw figure is **never clamped**: overshooting gives
    more than 100, moving the wrong way gives a negative number.  ``None`` when there is no actual
    value or when ``baseline == target`` (no distance to travel, the percentage is undefined).
progress percent (clamped)
    The raw figure clamped to ``0..100``, for display only (progress bars).  Statuses are always
    computed from the raw figure.
expected progress percent
    Share of the baseline→target period elapsed at the evaluation date, ``0..100``; on a straight
    line this is the progress percent the expected value represents.

Status rules (defaults in :class:`Thresholds`)
----------------------------------------------
* no actual value → ``NO_DATA``.
* ``increase`` / ``decrease`` with ``baseline != target``: with ``p`` the raw progress percent and
  ``e`` the expected progress percent, ``ON_TRACK`` if ``p >= 0.9 * e``, ``AT_RISK`` if
  ``p >= 0.7 * e``, else ``OFF_TRACK`` (boundaries inclusive).  At or before the baseline date
  ``e == 0``: the indicator is on track unless it has moved away from the target.
* ``maintain``: relative deviation ``|actual - target| / |target|``: ``ON_TRACK`` if ``<= 0.05``,
  ``AT_RISK`` if ``<= 0.15``, else ``OFF_TRACK``.  The baseline and the dates do not matter.  If
  ``target == 0`` the band is empty: exactly 0 is on track, anything else is off track.
* ``increase`` / ``decrease`` with ``baseline == target`` (nothing to travel): at or beyond the
  target in the indicator's direction → ``ON_TRACK``; a shortfall is judged with the ``maintain``
  tolerance band around the target.
* ordinal (qualitative, ordered levels): level indices are treated as numbers with the same rules.
* narrative: ``NO_DATA`` unless a status was entered explicitly (:func:`narrative_status`).
"""

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeAlias

__all__ = [
    "DEFAULT_THRESHOLDS",
    "Assessment",
    "Direction",
    "Number",
    "Status",
    "Thresholds",
    "aggregate_period_values",
    "aggregate_ratio",
    "assess",
    "assess_ordinal",
    "band_status",
    "clamp_percent",
    "elapsed_fraction",
    "expected_value",
    "narrative_status",
    "progress_percent",
    "status_from_progress",
]

Number: TypeAlias = int | float | Decimal | Fraction
"""Numeric input accepted by this module (``bool`` and ``str`` are rejected)."""


# --------------------------------------------------------------------------- validation helpers


def _check_number(value: object, name: str) -> None:
    """Reject non-numbers (bool, str, ...) with TypeError and NaN/inf with ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise TypeError(
            f"{name} must be a number (int, float, Decimal or Fraction), "
            f"got {type(value).__name__}: {value!r}"
        )
    if isinstance(value, Decimal):
        finite = value.is_finite()
    elif isinstance(value, int | Fraction):
        finite = True
    else:
        finite = math.isfinite(value)
    if not finite:
        raise ValueError(f"{name} must be finite, got {value!r}")


def _as_float(value: object, name: str) -> float:
    _check_number(value, name)
    return float(value)  # type: ignore[arg-type]


def _as_date(value: object, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}: {value!r}")
    return value


class Status(StrEnum):
    """Progress status of an indicator, a node or a roll-up.

    The string values are stable and meant for storage/serialisation.  Use :attr:`severity` (not
    ``<`` on the enum, which compares the strings alphabetically) to order statuses.

    Examples
    --------
    >>> Status("at_risk") is Status.AT_RISK
    True
    >>> sorted([Status.OFF_TRACK, Status.NO_DATA, Status.ON_TRACK], key=lambda s: s.severity)
    [<Status.NO_DATA: 'no_data'>, <Status.ON_TRACK: 'on_track'>, <Status.OFF_TRACK: 'off_track'>]
    """

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    @property
    def severity(self) -> int:
        """Severity rank: ``NO_DATA`` -1 < ``ON_TRACK`` 0 < ``AT_RISK`` 1 < ``OFF_TRACK`` 2.

        ``NO_DATA`` ranks lowest so that it never dominates a worst-of: it is not "better", it
        is "no evidence".  Check :attr:`has_data` to tell it apart.
        """
        return _SEVERITY[self]

    @property
    def has_data(self) -> bool:
        """``False`` only for ``NO_DATA``."""
        return self is not Status.NO_DATA


_SEVERITY = {Status.NO_DATA: -1, Status.ON_TRACK: 0, Status.AT_RISK: 1, Status.OFF_TRACK: 2}


class Direction(StrEnum):
    """Desired direction of change of an indicator.

    Examples
    --------
    >>> Direction("decrease")
    <Direction.DECREASE: 'decrease'>
    """

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


@dataclass(frozen=True)
class Thresholds:
    """Status thresholds (all boundaries inclusive).

    Parameters
    ----------
    on_track_ratio : float, default 0.9
        ``ON_TRACK`` when the actual progress is at least this share of the expected progress.
    at_risk_ratio : float, default 0.7
        ``AT_RISK`` when at least this share (and below ``on_track_ratio``); else ``OFF_TRACK``.
    on_track_band : float, default 0.05
        ``maintain`` indicators (and shortfalls when ``baseline == target``): ``ON_TRACK`` when
        ``|actual - target| / |target| <= on_track_band`` (±5 %).
    at_risk_band : float, default 0.15
        ``AT_RISK`` when the relative deviation is at most this (±15 %); else ``OFF_TRACK``.

    Examples
    --------
    >>> Thresholds(on_track_ratio=0.95, at_risk_ratio=0.8).at_risk_band
    0.15
    >>> Thresholds(on_track_ratio=0.5, at_risk_ratio=0.7)
    Traceback (most recent call last):
    ...
    ValueError: need 0 <= at_risk_ratio <= on_track_ratio, got 0.7 and 0.5
    """

    on_track_ratio: float = 0.9
    at_risk_ratio: float = 0.7
    on_track_band: float = 0.05
    at_risk_band: float = 0.15

    def __post_init__(self) -> None:
        for name in ("on_track_ratio", "at_risk_ratio", "on_track_band", "at_risk_band"):
            _as_float(getattr(self, name), name)
        if not 0 <= self.at_risk_ratio <= self.on_track_ratio:
            raise ValueError(
                "need 0 <= at_risk_ratio <= on_track_ratio, "
                f"got {self.at_risk_ratio} and {self.on_track_ratio}"
            )
        if not 0 <= self.on_track_band <= self.at_risk_band:
            raise ValueError(
                "need 0 <= on_track_band <= at_risk_band, "
                f"got {self.on_track_band} and {self.at_risk_band}"
            )


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Assessment:
    """Result of :func:`assess` for one indicator and one evaluation date.

    Attributes
    ----------
    status : Status
        See the module docstring for the rules.
    actual : float or None
        The actual value used (``None`` = no data).
    expected : float
        Expected value on the straight-line trajectory at the evaluation date.
    expected_progress_percent : float
        Share of the baseline→target period elapsed at the evaluation date, ``0..100``.
    progress_percent : float or None
        Raw, unclamped percent of the way from baseline to target (may be < 0 or > 100).
        ``None`` without an actual value or when ``baseline == target``.
    progress_percent_clamped : float or None
        ``progress_percent`` clamped to ``0..100``; for display only.
    achievement_ratio : float or None
        ``progress_percent / expected_progress_percent`` (the figure compared with
        ``Thresholds.on_track_ratio``); ``None`` when either is ``None`` or nothing is expected yet.
    deviation_percent : float or None
        Signed relative deviation from the target, ``(actual - target) / |target| * 100`` (the
        figure behind the ``maintain`` band); ``None`` without an actual value or if
        ``target == 0``.
    """

    status: Status
    actual: float | None
    expected: float
    expected_progress_percent: float
    progress_percent: float | None
    progress_percent_clamped: float | None
    achievement_ratio: float | None
    deviation_percent: float | None


# --------------------------------------------------------------------------- building blocks


def progress_percent(baseline: Number, target: Number, actual: Number | None) -> float | None:
    """Raw (unclamped) percent of the way from *baseline* to *target* reached by *actual*.

    The direction is implied by the sign of ``target - baseline``, so for a decreasing indicator
    a drop is progress.  Not clamped: overshooting gives > 100, going the wrong way gives < 0.

    Parameters
    ----------
    baseline, target : Number
        Values at the baseline and target dates.
    actual : Number or None
        Observed value; ``None`` means no data.

    Returns
    -------
    float or None
        ``None`` if *actual* is ``None`` or ``baseline == target`` (undefined: nothing to travel).
        ``±inf`` only if the exact result is beyond the float range (tiny ``target - baseline``).

    Examples
    --------
    >>> progress_percent(50, 30, 40)   # decrease 50 -> 30, now 40: half way
    50.0
    >>> progress_percent(0, 10, 15)    # overshoot is kept in the raw figure
    150.0
    >>> progress_percent(10, 10, 12) is None
    True
    """
    b = _as_float(baseline, "baseline")
    t = _as_float(target, "target")
    if actual is None or b == t:
        return None
    a = _as_float(actual, "actual")
    result = (a - b) / (t - b) * 100.0
    if math.isfinite(result):
        return result
    # Overflow (huge values or a subnormal distance): redo exactly, keep the sign.
    return _fraction_to_float((Fraction(a) - Fraction(b)) / (Fraction(t) - Fraction(b)) * 100)


def _fraction_to_float(value: Fraction) -> float:
    """``float(value)``, but ``±inf`` instead of ``OverflowError`` beyond the float range."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def clamp_percent(percent: float | None) -> float | None:
    """Clamp a percentage to ``0..100`` for display; ``None`` stays ``None``.

    Examples
    --------
    >>> clamp_percent(150.0), clamp_percent(-20.0), clamp_percent(42.5), clamp_percent(None)
    (100.0, 0.0, 42.5, None)
    """
    if percent is None:
        return None
    return min(100.0, max(0.0, float(percent)))


def elapsed_fraction(baseline_date: date, target_date: date, at: date) -> float:
    """Share of the period from *baseline_date* to *target_date* elapsed at *at*, in ``0..1``.

    Clamped: 0 at or before the baseline date, 1 at or after the target date.  If the two dates
    are equal the result is a step (0 before, 1 from that date on).  ``datetime`` values are
    reduced to their date.

    Raises
    ------
    ValueError
        If *target_date* is before *baseline_date*.

    Examples
    --------
    >>> elapsed_fraction(date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 6))
    0.5
    >>> elapsed_fraction(date(2024, 1, 1), date(2024, 1, 11), date(2023, 6, 1))
    0.0
    """
    bd = _as_date(baseline_date, "baseline_date")
    td = _as_date(target_date, "target_date")
    at = _as_date(at, "at")
    if td < bd:
        raise ValueError(f"target_date {td} is before baseline_date {bd}")
    if at >= td:
        return 1.0
    if at <= bd:
        return 0.0
    return (at - bd).days / (td - bd).days


def expected_value(
    baseline: Number, target: Number, baseline_date: date, target_date: date, at: date
) -> float:
    """Expected value at *at* on the straight line from baseline to target.

    Held at the baseline before *baseline_date* and at the target after *target_date*.

    Examples
    --------
    >>> expected_value(100, 60, date(2024, 1, 1), date(2024, 1, 5), date(2024, 1, 2))
    90.0
    >>> expected_value(100, 60, date(2024, 1, 1), date(2024, 1, 5), date(2030, 1, 1))
    60.0
    """
    b = _as_float(baseline, "baseline")
    t = _as_float(target, "target")
    frac = elapsed_fraction(baseline_date, target_date, at)
    return _lerp(b, t, frac)


def _lerp(b: float, t: float, frac: float) -> float:
    if frac <= 0.0:
        return b
    if frac >= 1.0:
        return t
    # Clamp: in floating point the interpolation could stray an ulp outside [b, t].
    return min(max(b, t), max(min(b, t), b + (t - b) * frac))


def status_from_progress(
    progress: float | None,
    expected_progress: float,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Status:
    """Status from raw progress percent *progress* vs the expected progress percent.

    ``ON_TRACK`` if ``progress >= on_track_ratio * expected_progress``, ``AT_RISK`` if
    ``progress >= at_risk_ratio * expected_progress``, else ``OFF_TRACK``; ``None`` → ``NO_DATA``.

    Examples
    --------
    >>> status_from_progress(45.0, 50.0)   # 90 % of what is expected by now
    <Status.ON_TRACK: 'on_track'>
    >>> status_from_progress(35.0, 50.0), status_from_progress(34.0, 50.0)
    (<Status.AT_RISK: 'at_risk'>, <Status.OFF_TRACK: 'off_track'>)
    """
    if progress is None:
        return Status.NO_DATA
    if isinstance(progress, float) and math.isinf(progress):
        return Status.ON_TRACK if progress > 0 else Status.OFF_TRACK
    p = _as_float(progress, "progress")
    e = _as_float(expected_progress, "expected_progress")
    if p >= thresholds.on_track_ratio * e:
        return Status.ON_TRACK
    if p >= thresholds.at_risk_ratio * e:
        return Status.AT_RISK
    return Status.OFF_TRACK


def band_status(
    actual: Number | None,
    target: Number,
    direction: Direction | str = Direction.MAINTAIN,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Status:
    """Status from the relative deviation of *actual* from *target* (tolerance band).

    Used for ``maintain`` indicators and for ``increase``/``decrease`` indicators whose baseline
    equals their target.  For ``increase`` (``decrease``) any value at or above (below) the target
    is ``ON_TRACK``; otherwise ``|actual - target| / |target|`` is compared with
    ``on_track_band`` and ``at_risk_band``.  With ``target == 0`` only an exact 0 is on track.

    Examples
    --------
    >>> band_status(104, 100), band_status(88, 100), band_status(120, 100)
    (<Status.ON_TRACK: 'on_track'>, <Status.AT_RISK: 'at_risk'>, <Status.OFF_TRACK: 'off_track'>)
    >>> band_status(130, 100, "increase")
    <Status.ON_TRACK: 'on_track'>
    """
    if actual is None:
        return Status.NO_DATA
    direction = Direction(direction)
    a = _as_float(actual, "actual")
    t = _as_float(target, "target")
    if (direction is Direction.INCREASE and a >= t) or (direction is Direction.DECREASE and a <= t):
        return Status.ON_TRACK
    deviation = abs(a - t)
    scale = abs(t)
    if scale == 0.0:
        return Status.ON_TRACK if deviation == 0.0 else Status.OFF_TRACK
    relative = deviation / scale
    if relative <= thresholds.on_track_band:
        return Status.ON_TRACK
    if relative <= thresholds.at_risk_band:
        return Status.AT_RISK
    return Status.OFF_TRACK


# --------------------------------------------------------------------------- assessments


def assess(
    baseline: Number,
    target: Number,
    actual: Number | None,
    direction: Direction | str,
    *,
    baseline_date: date,
    target_date: date,
    at: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Assessment:
    """Assess one quantitative indicator at date *at* (usually the period end).

    Parameters
    ----------
    baseline, target : Number
        Values at *baseline_date* and *target_date*.
    actual : Number or None
        Value for the period (see :func:`aggregate_period_values`); ``None`` → ``NO_DATA``.
    direction : Direction or str
        ``"increase"``, ``"decrease"`` or ``"maintain"``.
    baseline_date, target_date, at : datetime.date
        Trajectory dates and the evaluation date.
    thresholds : Thresholds
        Status thresholds; defaults documented on :class:`Thresholds`.

    Returns
    -------
    Assessment

    Raises
    ------
    ValueError
        If the target lies on the wrong side of the baseline for the direction (e.g. ``increase``
        with ``target < baseline``), if *target_date* < *baseline_date*, or on non-finite numbers.
    TypeError
        If a value is not a number (strings are rejected) or a date is not a date.

    Examples
    --------
    >>> from datetime import date
    >>> a = assess(0, 100, 40, "increase", baseline_date=date(2024, 1, 1),
    ...            target_date=date(2024, 1, 11), at=date(2024, 1, 6))
    >>> a.status, a.expected, a.progress_percent, a.achievement_ratio
    (<Status.AT_RISK: 'at_risk'>, 50.0, 40.0, 0.8)
    >>> assess(80, 40, 30, "decrease", baseline_date=date(2024, 1, 1),
    ...        target_date=date(2025, 1, 1), at=date(2025, 6, 30)).progress_percent_clamped
    100.0
    """
    direction = Direction(direction)
    b = _as_float(baseline, "baseline")
    t = _as_float(target, "target")
    a = None if actual is None else _as_float(actual, "actual")
    if direction is Direction.INCREASE and t < b:
        raise ValueError(f"direction 'increase' but target {t} is below baseline {b}")
    if direction is Direction.DECREASE and t > b:
        raise ValueError(f"direction 'decrease' but target {t} is above baseline {b}")

    frac = elapsed_fraction(baseline_date, target_date, at)
    expected = _lerp(b, t, frac)
    expected_progress = frac * 100.0
    progress = progress_percent(b, t, a)

    if a is None:
        status = Status.NO_DATA
    elif direction is Direction.MAINTAIN or b == t:
        status = band_status(a, t, direction, thresholds)
    else:
        status = status_from_progress(progress, expected_progress, thresholds)

    achievement = (
        progress / expected_progress if progress is not None and expected_progress > 0 else None
    )
    deviation = (a - t) / abs(t) * 100.0 if a is not None and t != 0 else None
    return Assessment(
        status=status,
        actual=a,
        expected=expected,
        expected_progress_percent=expected_progress,
        progress_percent=progress,
        progress_percent_clamped=clamp_percent(progress),
        achievement_ratio=achievement,
        deviation_percent=deviation,
    )


def assess_ordinal(
    baseline_level: int,
    target_level: int,
    actual_level: int | None,
    *,
    baseline_date: date,
    target_date: date,
    at: date,
    direction: Direction | str = Direction.INCREASE,
    n_levels: int | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Assessment:
    """Assess a qualitative ordinal indicator by level index (0-based position on its scale).

    The level indices are treated as numbers with exactly the rules of :func:`assess`: the
    expected level index moves on a straight line from the baseline level to the target level.
    Scales are usually ordered worst → best (``direction="increase"``).

    Parameters
    ----------
    baseline_level, target_level : int
        Level indices at the baseline and target dates.
    actual_level : int or None
        Observed level index; ``None`` → ``NO_DATA``.
    n_levels : int, optional
        Number of levels on the scale; when given, indices must be ``< n_levels``.

    Examples
    --------
    >>> from datetime import date
    >>> a = assess_ordinal(0, 4, 1, baseline_date=date(2024, 1, 1),
    ...                    target_date=date(2024, 1, 11), at=date(2024, 1, 6), n_levels=5)
    >>> a.expected, a.progress_percent, a.status
    (2.0, 25.0, <Status.OFF_TRACK: 'off_track'>)
    """
    for name, level in (
        ("baseline_level", baseline_level),
        ("target_level", target_level),
        ("actual_level", actual_level),
    ):
        if level is None and name == "actual_level":
            continue
        if isinstance(level, bool) or not isinstance(level, int):
            raise TypeError(f"{name} must be an int level index, got {level!r}")
        if level < 0 or (n_levels is not None and level >= n_levels):
            raise ValueError(f"{name} {level} is outside the scale (n_levels={n_levels})")
    return assess(
        baseline_level,
        target_level,
        actual_level,
        direction,
        baseline_date=baseline_date,
        target_date=target_date,
        at=at,
        thresholds=thresholds,
    )


def narrative_status(explicit: Status | str | None = None) -> Status:
    """Status of a narrative (free-text) indicator.

    Narrative indicators have no numbers to compare, so they are ``NO_DATA`` for status purposes
    unless a status was entered explicitly by a person, which is then used as is.

    Examples
    --------
    >>> narrative_status(), narrative_status("at_risk")
    (<Status.NO_DATA: 'no_data'>, <Status.AT_RISK: 'at_risk'>)
    """
    return Status.NO_DATA if explicit is None else Status(explicit)


# --------------------------------------------------------------------------- aggregation


def aggregate_ratio(parts: Iterable[tuple[Number, Number]]) -> float | None:
    """Aggregate ratios (percentages) by summing numerators and denominators.

    Never average percentages: ``1/1`` and ``0/9`` aggregate to ``1/10``, not ``(100 % + 0 %)/2``.
    Sums are exact (:class:`fractions.Fraction`), so the result does not depend on the order.

    Parameters
    ----------
    parts : iterable of (numerator, denominator)
        Denominators must be ``>= 0``; a single zero denominator is fine.

    Returns
    -------
    float or None
        ``sum(numerators) / sum(denominators)`` as a ratio (multiply by 100 for a percent);
        ``None`` if the denominators sum to zero (including no parts at all).  ``±inf`` only if
        the exact ratio is beyond the float range (denominators near the smallest float).

    Examples
    --------
    >>> aggregate_ratio([(1, 1), (0, 9)])
    0.1
    >>> aggregate_ratio([(0, 0)]) is None
    True
    """
    num = Fraction(0)
    den = Fraction(0)
    for numerator, denominator in parts:
        _check_number(numerator, "numerator")
        _check_number(denominator, "denominator")
        d = Fraction(denominator)
        if d < 0:
            raise ValueError(f"denominator must be >= 0, got {denominator!r}")
        num += Fraction(numerator)
        den += d
    if den == 0:
        return None
    return _fraction_to_float(num / den)


def aggregate_period_values(values: Iterable[Number | None], cumulative: bool) -> Number | None:
    """Value of an indicator for a period from the values reported in it, ordered by date.

    Cumulative indicators (running totals, levels, rates) take the **latest** value; other
    (count) indicators are **summed**.  ``None`` entries (missing reports) are skipped; if nothing
    is left the result is ``None``.  The numeric type is preserved (``Decimal`` stays ``Decimal``);
    mixing ``Decimal`` and ``float`` raises ``TypeError``.

    Examples
    --------
    >>> aggregate_period_values([10, 25, 40], cumulative=True)
    40
    >>> aggregate_period_values([10, None, 25], cumulative=False)
    35
    >>> aggregate_period_values([None], cumulative=False) is None
    True
    """
    present = []
    for value in values:
        if value is None:
            continue
        _check_number(value, "value")
        present.append(value)
    if not present:
        return None
    if cumulative:
        return present[-1]
    try:
        return sum(present)
    except TypeError as exc:
        raise TypeError(
            "cannot sum a mix of Decimal and float/Fraction values; convert them first"
        ) from exc

"""Names of the dimensions of disaggregated values and of their values, in the user's language:
"country"/"land" for the dimension, the plan's name of a country for its code ("bj": Benin,
never a code such as "na" that reads as "n/a"), words for the sexes and the Flemish provinces.
A value without a known name is shown as it is.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from web.i18n import current_lang
from web.store import current_plan

__all__ = ["dimension_label", "dimension_value_label", "init_app"]

_DIMENSIONS = {
    "country": _l("country"),
    "sex": _l("sex"),
    "province": _l("province"),
    "age": _l("age group"),
    "region": _l("region"),
}
_VALUES = {
    "sex": {"female": _l("female"), "male": _l("male"), "other": _l("other")},
    "province": {
        "antwerpen": _l("Antwerp"),
        "limburg": _l("Limburg"),
        "oost-vlaanderen": _l("East Flanders"),
        "vlaams-brabant": _l("Flemish Brabant"),
        "west-vlaanderen": _l("West Flanders"),
    },
}


def dimension_label(name: str) -> str:
    """The dimension's name in the user's language (lower case, to sit inside a sentence)."""
    known = _DIMENSIONS.get(name)
    return str(known) if known is not None else name.replace("_", " ")


def dimension_value_label(dimension: str, value: str) -> str:
    """The name of one value of a dimension: a country's name from the plan (``country.<code>``
    or the code itself as a node id), a known word, else the value as it is."""
    if dimension == "country":
        plan = current_plan()
        node = plan.get(value) or plan.get(f"country.{value}")
        if node is not None and node.kind == "Country":
            return node.label(current_lang())
    known = _VALUES.get(dimension, {}).get(value)
    return str(known) if known is not None else value


def init_app(app: Flask) -> None:
    """Make the label functions available in templates."""
    app.jinja_env.globals.update(
        dimension_label=dimension_label, dimension_value_label=dimension_value_label
    )

"""The words of the XLSX template downloaded from the web, in the page language.

The template's layout is the domain's (:mod:`indicators.template`); its words here are for a
web user: sheet names and headers in the page language (the Dutch Data-sheet headers are ones
the importer reads, :data:`indicators.import_columns.COLUMN_ALIASES`), and instructions that
say to upload the filled file on the Import page, where the command line would say
``toc indicators import``.
"""

from __future__ import annotations

from flask_babel import gettext as _

from indicators.import_columns import COLUMN_ALIASES
from indicators.template import TemplateWords
from web.i18n import current_lang

__all__ = ["template_words"]


def _columns() -> dict[str, str]:
    """The Data-sheet headers: Dutch aliases on a Dutch page, the column names otherwise."""
    if current_lang() != "nl":
        return {}
    return {column: alias for alias, column in COLUMN_ALIASES.items()}


def template_words() -> TemplateWords:
    """The template's words in this request's language, with web instructions."""
    return TemplateWords(
        data=_("Data"),
        lists=_("Lists"),
        indicators=_("Indicators"),
        about_sheet=_("About"),
        title=_("Measurement template"),
        columns=_columns(),
        reference={
            "code": _("code"),
            "title": _("title"),
            "measures": _("measures"),
            "type": _("type"),
            "unit": _("unit"),
            "direction": _("direction"),
            "frequency": _("frequency"),
            "cumulative": _("cumulative"),
            "baseline": _("baseline"),
            "baseline date": _("baseline date"),
            "baseline source": _("baseline source"),
            "targets": _("targets"),
            "end target": _("end target"),
            "dimensions": _("dimensions"),
            "levels": _("levels"),
            "numerator": _("numerator"),
            "denominator": _("denominator"),
            "responsible": _("responsible"),
            "data source": _("data source"),
            "verification": _("verification"),
            "sdg indicators": _("SDG indicators"),
            "illustrative": _("illustrative"),
        },
        values={
            "number": _("number"),
            "percentage": _("percentage"),
            "currency": _("currency"),
            "ordinal": _("ordinal scale"),
            "narrative": _("narrative"),
            "increase": _("increase"),
            "decrease": _("decrease"),
            "maintain": _("maintain"),
            "year": _("year"),
            "semester": _("semester"),
            "quarter": _("quarter"),
            "custom": _("periods of its own"),
        },
        list_titles={
            "indicator": _("Unknown indicator"),
            "period": _("Unknown period"),
            "level": _("Unknown level"),
            "value": _("Unknown value"),
        },
        list_error=_("Choose a value for %(column)s from the list.", column="{column}"),
        number_title=_("Not a number"),
        number_error=_("Enter a number (no text)."),
        yes=_("yes"),
        no=_("no"),
        by=_("by"),
        illustrative_mark=_("ILLUSTRATIVE"),
        notice=_("NOTICE:")
        + " "
        + _(
            "Indicators marked “illustrative” are illustrations made for a demonstration: they "
            "are not data of the organisation, and values entered for them are marked "
            "illustrative too."
        ),
        about=(
            _(
                "Fill in the yellow columns of the %(data)s sheet: one row per indicator, period "
                "and disaggregation value. The row with empty dimension columns holds the total.",
                data=_("Data"),
            ),
            _(
                "Numbers: %(value)s; percentages: %(numerator)s and %(denominator)s (the "
                "percentage is computed); ordinal scales: %(level)s (see the %(indicators)s "
                "sheet); narratives: %(narrative)s.",
                indicators=_("Indicators"),
                **{c: _columns().get(c, c) for c in COLUMNS_NAMED},
            ),
            _(
                "Rows without a value are not reported. Disaggregated values should add up to "
                "the total; if they do not, the check flags them."
            ),
            _(
                "Evidence: links or file names separated by “;”. Do not use formulas: type the "
                "values themselves."
            ),
            _(
                "When the file is filled in, upload it on the Import page (Import in the menu). "
                "The check lists every problem with sheet, row and column before anything is "
                "saved; nothing is saved until you confirm."
            ),
            _(
                "Keep the sheet names and the headers of the %(data)s sheet as they are: the "
                "import reads them.",
                data=_("Data"),
            ),
        ),
    )


#: The Data-sheet columns the About sheet names.
COLUMNS_NAMED = ("value", "numerator", "denominator", "level", "narrative")

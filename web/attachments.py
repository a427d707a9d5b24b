"""Sending a kept evidence file to the browser so that it is downloaded, never run.

Whatever the file holds, the response says ``Content-Disposition: attachment`` (with the
sanitised name), ``X-Content-Type-Options: nosniff``, the media type found from its bytes
when it was kept, and a Content-Security-Policy that allows nothing, so even a browser
that opened it in place would run no script from it.
"""

from __future__ import annotations

from urllib.parse import quote

from flask_babel import gettext as _
from werkzeug.wrappers import Response

from toc.attachments import Attachment

__all__ = ["ACCEPT", "CSP", "attachment_response", "refusal_reason"]

#: The ``accept`` of a file field: the kinds :mod:`toc.attachments` allows (a hint to the
#: browser's file picker only: the type is found from the content when the file arrives).
ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.csv,.txt"

CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def attachment_response(data: bytes, record: Attachment) -> Response:
    """The download response for ``data`` kept under ``record``."""
    response = Response(data, mimetype=record.media_type)
    ascii_name = record.name.encode("ascii", "replace").decode().replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(record.name)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


def refusal_reason(reason: str) -> str:
    """Why a file was refused (:class:`toc.attachments.AttachmentRefused`), in the page
    language: the known reasons translated, any other as given."""
    for start, said in (
        ("markup", _("markup (HTML, SVG, XML or script) is not allowed")),
        ("a program", _("a program is not allowed")),
        ("the file is empty", _("the file is empty")),
        ("not an allowed type", _("it is not an allowed type")),
        ("a ZIP archive", _("a ZIP archive that is not a DOCX, XLSX, PPTX, ODT or ODS")),
        ("not a readable office", _("it is not a readable office document")),
    ):
        if reason.startswith(start):
            return said
    if "more than the limit" in reason:
        return _("it is larger than the limit of 10 MB")
    return reason

"""Sending a kept evidence file to the browser so that it is downloaded, never run.

Whatever the file holds, the response says ``Content-Disposition: attachment`` (with the
sanitised name), ``X-Content-Type-Options: nosniff``, the media type found from its bytes
when it was kept, and a Content-Security-Policy that allows nothing, so even a browser
that opened it in place would run no script from it.
"""

from __future__ import annotations

from urllib.parse import quote

from werkzeug.wrappers import Response

from toc.attachments import Attachment

__all__ = ["CSP", "attachment_response"]

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

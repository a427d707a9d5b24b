"""Files attached to an indicator value, from the update form and the API: checked and kept
beside the store, held while a form is shown again, and sent only to who may see them.

Uploads (:func:`keep_uploads`): every chosen file is checked (its type from its bytes, its
size: :mod:`toc.attachments`) before any is kept. When one is refused, none is kept and each
refusal names the file and why, so nothing is saved half-way; the accepted ones are kept in
the content-addressed folder (:mod:`graphdb.attachment_files`) before the value is saved.

Held files (:func:`held_token`, :func:`read_held`): a browser cannot send a file again that a
page gave it, so the form carries the files of the value it edits (those of the latest
revision, and those kept from an earlier send of the same form, one shown again to confirm a
number, say) as a token signed with the app's secret key and bound to the user, indicator and
period: nobody can name a file kept for another value and so read it through their own.

Who may download (:func:`may_fetch`): the files of an approved value, every reader (the
indicator page shows approved values to all); those of a draft, a submission, a returned
value or a conflict copy, only users who may enter values for the indicator (contributors in
its scope, M&E officers and admins), as such values may hold what a partner has not yet
agreed to publish.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import FileStorage

from indicators.model import Indicator, Revision, RevisionStatus, now_stamp
from toc.attachments import Attachment, AttachmentRefused, check, sanitise_name
from web.attachments import refusal_reason
from web.scope import concerned
from web.store import current_plan, get_store

__all__ = [
    "MAX_FILES",
    "chosen",
    "fetch_rule",
    "held_token",
    "keep_uploads",
    "may_fetch",
    "read_held",
    "refusal_text",
]

#: The most files one value may carry, and one send may attach.
MAX_FILES = 5
_SALT = "pathways-value-files"


def chosen(uploads: Sequence[FileStorage]) -> list[FileStorage]:
    """The uploads that hold a file (a form's empty file field sends one without a name)."""
    return [u for u in uploads if u is not None and u.filename]


def keep_uploads(
    uploads: Sequence[FileStorage], who: str
) -> tuple[list[Attachment], list[AttachmentRefused]]:
    """(kept files, refusals): every chosen file kept, or none when any is refused (then one
    refusal per refused file, naming it and the reason)."""
    files = get_store().attachment_files
    read = []
    for upload in chosen(uploads):
        read.append((upload.filename or "", upload.stream.read(files.max_bytes + 1)))
        upload.close()  # a large one was spooled to a temporary file
    refusals = []
    for name, data in read:
        try:
            check(data, name, files.max_bytes)
        except AttachmentRefused as refused:
            refusals.append(AttachmentRefused(sanitise_name(refused.file), refused.reason))
    if refusals:
        return [], refusals
    when = now_stamp()
    return [files.put(data, name, who=who, when=when) for name, data in read], []


def refusal_text(refused: AttachmentRefused) -> str:
    """A refusal in the page language, naming the file."""
    return _(
        "%(file)s was not attached: %(why)s",
        file=refused.file,
        why=refusal_reason(refused.reason),
    )


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt=_SALT)


def held_token(files: Sequence[Attachment], code: str, period: str) -> str:
    """The signed token of the files a value form holds for ``code`` and ``period``."""
    return str(
        _serializer().dumps(
            {
                "user": current_user.username,
                "indicator": code,
                "period": period,
                "files": [f.to_dict() for f in files],
            }
        )
    )


def read_held(token: str, code: str, period: str) -> tuple[Attachment, ...] | None:
    """The files of a token from :func:`held_token`; () for none, None when the token was
    not made here for this user, indicator and period."""
    if not token:
        return ()
    try:
        data = _serializer().loads(token)
        if (data["user"], data["indicator"], data["period"]) != (
            current_user.username,
            code,
            period,
        ):
            return None
        return tuple(Attachment.from_dict(f) for f in data["files"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def may_fetch(revision: Revision, indicator: Indicator) -> bool:
    """Whether the signed-in user may download the files of ``revision`` (see the module)."""
    return fetch_rule(indicator)(revision)


def fetch_rule(indicator: Indicator) -> Callable[[Revision], bool]:
    """:func:`may_fetch` for the revisions of ``indicator``, the user's scope looked up once
    (a page lists every revision of the indicator)."""
    reader = bool(current_user.can("read"))
    submitter = bool(
        current_user.can("submit")
        and current_user.in_scope(concerned(current_plan(), indicator.measures))
    )

    def rule(revision: Revision) -> bool:
        approved = revision.status is RevisionStatus.APPROVED and not revision.conflict
        return reader if approved else submitter

    return rule

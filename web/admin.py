"""Account administration for admins: list accounts, add one, change role, scope, name,
password, or disable it. (The same as ``toc users``.) A new password or disabling an account
ends its sessions; an admin who changes their own password stays signed in with a new one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from graphdb.account_store import ROLES, AccountExists
from toc.model import Plan
from web.access import requires
from web.accounts import AccountInputError, check_password, create_account
from web.auth import hasher, start_session
from web.i18n import current_lang
from web.labels import role_label
from web.store import current_plan, get_store

__all__ = ["bp"]

bp = Blueprint("admin", __name__, url_prefix="/admin")

_INPUT_MESSAGES = {
    "bad_username": _l("Use 1-64 letters, digits or . _ @ -, starting with a letter or digit."),
    "too_short": _l("Too short: use at least 10 characters."),
    "too_long": _l("Too long: use at most 1024 characters."),
    "is_username": _l("The password must not be the username."),
    "unknown_scope": _l("Not part of the plan."),
    "bad_role": _l("Choose a role."),
}


class _Checkboxes(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _AccountFields(FlaskForm):
    display_name = StringField(_l("Name shown"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), choices=[])
    partners = _Checkboxes(_l("Partners"), choices=[])
    partnerships = _Checkboxes(_l("Partnerships"), choices=[])
    countries = _Checkboxes(_l("Countries"), choices=[])

    def fill_choices(self, plan: Plan) -> None:
        lang = current_lang()
        self.role.choices = [(r, role_label(r)) for r in ROLES]
        for field, kind in (
            (self.partners, "Partner"),
            (self.partnerships, "Partnership"),
            (self.countries, "Country"),
        ):
            field.choices = [(n.id, n.label(lang)) for n in plan.of_kind(kind)]


class AddAccountForm(_AccountFields):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=64)])
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )


class EditAccountForm(_AccountFields):
    disabled = BooleanField(_l("Disabled (cannot sign in)"))
    new_password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )


@bp.route("/users", methods=["GET", "POST"])
@requires("manage_users")
def users() -> Response | str:
    """All accounts, and the form to add one."""
    plan = current_plan()
    form = AddAccountForm()
    form.fill_choices(plan)
    if form.validate_on_submit():
        try:
            account = create_account(
                get_store(),
                hasher(),
                form.username.data or "",
                form.password.data or "",
                form.role.data or "",
                display_name=form.display_name.data or "",
                partners=form.partners.data or (),
                partnerships=form.partnerships.data or (),
                countries=form.countries.data or (),
                plan=plan,
            )
        except AccountInputError as e:
            getattr(form, e.field).errors.append(str(_INPUT_MESSAGES.get(e.code, e)))
        except AccountExists:
            form.username.errors.append(_("This username is taken."))
        else:
            flash(_("Account %(name)s added.", name=account.username), "success")
            return redirect(url_for("admin.users"))
    names = {n.id: n.label(current_lang()) for n in plan.nodes}
    return render_template(
        "admin/users.html", accounts=get_store().accounts(), form=form, names=names
    )


@bp.route("/users/<username>", methods=["GET", "POST"])
@requires("manage_users")
def edit(username: str) -> Response | str:
    """Change one account."""
    store = get_store()
    account = store.get_account(username)
    if account is None:
        abort(404)
    plan = current_plan()
    form = EditAccountForm(
        data={
            "display_name": account.display_name,
            "role": account.role,
            "partners": list(account.partners),
            "partnerships": list(account.partnerships),
            "countries": list(account.countries),
            "disabled": account.disabled,
        }
    )
    form.fill_choices(plan)
    if form.validate_on_submit():
        own = account.username == current_user.username
        if own and (form.role.data != account.role or form.disabled.data):
            form.role.errors.append(_("You cannot change your own role or disable yourself."))
        else:
            try:
                if form.new_password.data:
                    check_password(form.new_password.data, account.username)
            except AccountInputError as e:
                form.new_password.errors.append(str(_INPUT_MESSAGES.get(e.code, e)))
            else:
                store.set_display_name(account.username, (form.display_name.data or "").strip())
                store.set_role(account.username, form.role.data or account.role)
                store.set_scopes(
                    account.username,
                    partners=form.partners.data or (),
                    partnerships=form.partnerships.data or (),
                    countries=form.countries.data or (),
                )
                store.set_disabled(account.username, bool(form.disabled.data))
                ended = bool(form.disabled.data) and not account.disabled
                if form.new_password.data:
                    store.set_password_hash(account.username, hasher().hash(form.new_password.data))
                    ended = True
                    if own:
                        start_session(store.get_account(account.username) or account)
                if ended:
                    flash(
                        _(
                            "Account %(name)s saved; its sessions were ended.",
                            name=account.username,
                        ),
                        "success",
                    )
                else:
                    flash(_("Account %(name)s saved.", name=account.username), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/edit.html", account=account, form=form)

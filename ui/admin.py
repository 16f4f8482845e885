"""The Streamlit side of core.auth: is anyone able to write here, who is signed in, the sign-in form.

Every page that writes (import, undo, rebuild) starts with `name = admin.gate(lang)`; it returns the signed-in
administrator's name (passed on as `who=`) or stops the page after showing the sign-in form.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from core import auth, config
from core.i18n import t
from core.markup import escape_markdown
from ui import uploads

log = logging.getLogger(__name__)
KEY = "admin_session"


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name) or {})
    except Exception:  # no secrets.toml at all: Streamlit raises rather than returning nothing
        return {}


def oidc_allow_list() -> list[str]:
    """Administrator e-mails for single sign-on: [admins] emails in secrets.toml, used only with an [auth]
    section (Streamlit's OIDC settings)."""
    if not _secrets_section("auth"):
        return []
    emails = _secrets_section("admins").get("emails") or []
    return [str(e) for e in emails] if isinstance(emails, list | tuple) else []


def local_admins() -> dict[str, str]:
    try:
        return auth.load_admins()
    except auth.AdminError as exc:  # fail closed: an unreadable file means nobody can write from the UI
        log.error("%s", exc)
        return {}


def configured() -> bool:
    return bool(local_admins()) or bool(oidc_allow_list())


def _oidc_name() -> str | None:
    allow = oidc_allow_list()
    if not allow or not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    return str(email) if auth.email_allowed(email, st.user.get("email_verified"), allow) else None


def current(lang: str) -> str | None:
    """The signed-in administrator (their idle time starts again), or None; an expired sign-in ends here."""
    session = st.session_state.get(KEY)
    now = time.time()
    if session is not None:
        if session.expired(now, auth.session_timeout()):
            st.session_state.pop(KEY)
            st.session_state["admin_notice"] = t("auth.expired", lang)
            return None
        if session.via == "password" and session.name not in local_admins():
            st.session_state.pop(KEY)  # removed with `admin remove` meanwhile
            return None
        session.last_seen = now
        return session.name
    name = _oidc_name()
    if name:
        st.session_state[KEY] = auth.AdminSession(name, "oidc", now)
    return name


def sign_out() -> None:
    uploads.revoke()
    session = st.session_state.pop(KEY, None)
    if session is not None and session.via == "oidc":
        st.logout()


def _client() -> str:
    try:
        ip, headers = st.context.ip_address, dict(st.context.headers)
    except Exception:  # outside a browser session (AppTest) there is no connection to ask
        ip, headers = None, {}
    return auth.client_key(ip, headers, config.trusted_proxy())


def _password_form(lang: str) -> None:
    with st.form("admin_sign_in"):
        name = st.text_input(t("auth.name", lang), key="admin_name")
        password = st.text_input(t("auth.password", lang), type="password", key="admin_password")
        submitted = st.form_submit_button(t("auth.sign_in", lang), icon=":material/login:", type="primary")
    if not submitted:
        return
    attempt = auth.sign_in(name, password, _client(), local_admins())
    if attempt.ok:
        st.session_state[KEY] = auth.AdminSession(name.strip().lower(), "password", time.time())
        st.session_state.pop("admin_notice", None)
        st.rerun()
    if attempt.wait > 0:
        st.error(t("auth.wrong_wait", lang, seconds=int(attempt.wait + 0.999)), icon=":material/timer:")
    else:
        st.error(t("auth.wrong", lang), icon=":material/lock:")


def gate(lang: str) -> str:
    """The administrator's name, or the sign-in form and the page stops here."""
    if not configured():
        st.info(t("auth.none_configured", lang), icon=":material/terminal:")
        st.stop()
    name = current(lang)
    if name:
        uploads.allow(time.time() + auth.session_timeout())  # this session's uploads are kept (ui/uploads.py)
        left, right = st.columns([3, 1])
        left.caption(t("auth.signed_in_as", lang, name=escape_markdown(name)))
        if right.button(t("auth.sign_out", lang), icon=":material/logout:", key="admin_sign_out"):
            sign_out()
            st.rerun()
        return name
    uploads.revoke()
    st.header(t("auth.heading", lang))
    st.caption(t("auth.intro", lang))
    if st.session_state.get("admin_notice"):
        st.warning(st.session_state["admin_notice"], icon=":material/timer_off:")
    if local_admins():
        _password_form(lang)
    if oidc_allow_list():
        if st.user.is_logged_in:  # signed in with single sign-on, but not on the administrators' list
            st.error(t("auth.not_on_list", lang), icon=":material/block:")
        elif st.button(t("auth.sso", lang), icon=":material/badge:"):
            st.login()
    st.stop()

from __future__ import annotations

from django_tasks import task


@task()
def send_login_code(email: str, code: str, reauthentication: bool, language: str = "") -> str:
    """Render and store the login-code mail (delivered by ``deliver_email``); for an address
    without an account, nothing. ``language`` is the page's, for a person without a language of
    their own. Safe to run twice: a code mailed twice is still one code."""
    from comptoir.accounts.adapter import AccountAdapter

    sent = AccountAdapter().login_code_mail_send(
        email=email, code=code, reauthentication=reauthentication, language=language
    )
    return "queued" if sent else "no account"

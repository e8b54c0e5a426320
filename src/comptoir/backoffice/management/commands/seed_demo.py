"""``manage.py seed_demo``: deterministic demo data; running it twice changes nothing."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from comptoir.backoffice.demo import MEMBERS, STAFF_EMAIL, seed_people


def demo_staff_password() -> str:
    """From DEMO_STAFF_PASSWORD, else made once and kept in var/demo-staff-password."""
    if os.environ.get("DEMO_STAFF_PASSWORD"):
        return os.environ["DEMO_STAFF_PASSWORD"]
    path = Path(settings.VAR_DIR) / "demo-staff-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Create the demo store: staff, customers, members (idempotent)."

    def handle(self, *args, **options):
        password = demo_staff_password()
        seed_people(staff_password=password)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write("")
        self.stdout.write("Demo logins (all log in by e-mailed code; read the codes at /dev/outbox/):")
        self.stdout.write(f"  {STAFF_EMAIL:28} seller staff, back office at /backoffice/  password: {password}")
        seen = set()
        for email, _name, _company, role, approval, _lang in MEMBERS:
            companies = [c for e, _n, c, _r, _a, _l in MEMBERS if e == email]
            if email in seen:
                continue
            seen.add(email)
            note = " (orders need approval)" if approval else ""
            self.stdout.write(f"  {email:28} {' + '.join(companies)}: {role.label}{note}")

"""``manage.py seed_demo``: deterministic demo data; running it again only adds what is missing.

Nothing that exists is updated: staff edits in the back office, passwords and sessions survive.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from comptoir.backoffice.demo import MEMBERS, STAFF_EMAIL, seed_people, staff_password_is
from comptoir.backoffice.demo_catalogue import seed_catalogue


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
    help = (
        "Create what is missing of the demo store: staff, customers, members and a catalogue of --products"
        " products. Existing rows are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=500,
            help="Products in the demo catalogue (default 500; 0 for none). The same SKUs on every run.",
        )

    def handle(self, *args, **options):
        password = demo_staff_password()
        new_companies = seed_people(staff_password=password)
        if options["products"] > 0:
            started = time.monotonic()
            result = seed_catalogue(products=options["products"], progress=self._progress, new_companies=new_companies)
            sys.stderr.write("\n" if sys.stderr.isatty() else "")
            self.stdout.write(
                f"Catalogue: {result.products} products ({result.new_products} new), {result.prices} new prices,"
                f" {result.stock_levels} new stock levels, {result.images} new images"
                f" ({time.monotonic() - started:.1f} s)."
            )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write("")
        self.stdout.write("Demo logins (all log in by e-mailed code; read the codes at /dev/outbox/):")
        # A password changed since the demo was created is never reset, so it is not printed either.
        shown = password if staff_password_is(password) else "(changed since the demo was created)"
        self.stdout.write(f"  {STAFF_EMAIL:28} seller staff, back office at /backoffice/  password: {shown}")
        seen = set()
        for email, _name, _company, role, approval, _lang in MEMBERS:
            companies = [c for e, _n, c, _r, _a, _l in MEMBERS if e == email]
            if email in seen:
                continue
            seen.add(email)
            note = " (orders need approval)" if approval else ""
            self.stdout.write(f"  {email:28} {' + '.join(companies)}: {role.label}{note}")

    @staticmethod
    def _progress(stage: str, done: int, total: int) -> None:
        line = f"{stage}: {done}/{total}"
        sys.stderr.write(("\r" + line) if sys.stderr.isatty() else line + "\n")
        sys.stderr.flush()

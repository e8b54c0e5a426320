"""``manage.py import_catalogue FILE --kind products|prices|stock [--partial]`` (PRODUCT F6)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comptoir.catalog.imports import COMMAND_LIMITS, KINDS, catalogue_import
from comptoir.core.tabular import Limits


class ProgressBar:
    """A one-line text bar on stderr, redrawn at most every 0.2 s; plain lines when stderr is not a terminal."""

    def __init__(self, stream, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.tty = stream.isatty()
        self.stage = ""
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if stage != self.stage:
            if self.stage and self.tty:
                self.stream.write("\n")
            self.stage, self.last = stage, 0.0
        if not finished and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        percent = 100 * done // total if total else 100
        line = f"{stage:>10} [{bar}] {percent:3d}% {done}/{total}"
        if self.tty:
            self.stream.write("\r" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.stage and self.tty:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import products, prices or stock from a CSV or XLSX file. All-or-nothing unless --partial: "
        "one rejected row and nothing is written. Columns left out of the file keep their values; "
        "for prices, each SKU and price level in the file gets exactly the tiers the file lists."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=sorted(KINDS), required=True)
        parser.add_argument("--partial", action="store_true", help="Write the good rows even if some are rejected.")
        parser.add_argument(
            "--max-bytes", type=int, default=COMMAND_LIMITS.max_bytes, help="Largest file accepted, in bytes."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        limits = Limits(
            max_bytes=options["max_bytes"],
            max_rows=COMMAND_LIMITS.max_rows,
            max_columns=COMMAND_LIMITS.max_columns,
            max_cell_length=COMMAND_LIMITS.max_cell_length,
        )
        bar = None if options["no_progress"] else ProgressBar(sys.stderr)
        started = time.monotonic()
        try:
            report = catalogue_import(
                source=path,
                kind=options["kind"],
                partial=options["partial"],
                filename=path.name,
                limits=limits,
                progress=bar,
            )
        finally:
            if bar is not None:
                bar.close()
        for rejection in report.rejected:
            self.stdout.write(str(rejection))
        if report.ignored_columns:
            self.stdout.write(f"Ignored columns: {', '.join(report.ignored_columns)}")
        elapsed = time.monotonic() - started
        if not report.written:
            raise CommandError(f"{report.summary()} ({elapsed:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"{report.summary()} ({elapsed:.1f} s)"))

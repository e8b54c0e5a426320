"""G5: the audit trail records declared decisions only, each with a human label."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from comptoir.backoffice.admin import AuditedAdmin, site
from comptoir.core.audit import AuditAction, audit
from comptoir.core.models import AuditEvent

SRC = Path(__file__).resolve().parents[2] / "src" / "comptoir"


def _audit_calls() -> list[tuple[str, int, ast.expr]]:
    """Every ``audit(..., action=...)`` call in the code: (file, line, the action expression)."""
    calls = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name != "audit":
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    calls.append((str(path.relative_to(SRC)), node.lineno, keyword.value))
    return calls


def test_recording_an_undeclared_action_raises_and_stores_nothing(db):
    with pytest.raises(ValueError, match=r"order\.teleported"):
        audit(actor=None, action="order.teleported")
    assert not AuditEvent.objects.exists()


def test_a_declared_action_is_stored_as_its_string(db):
    event = audit(actor=None, action=AuditAction.ORDER_PLACED)
    event.refresh_from_db()
    assert event.action == "order.placed"


def test_every_audit_call_in_the_code_names_a_declared_action():
    calls = _audit_calls()
    assert len(calls) > 30  # the walk found the services' calls
    declared = set(AuditAction.values)
    undeclared = []
    for where, line, expression in calls:
        for node in ast.walk(expression):
            if isinstance(node, ast.JoinedStr):
                undeclared.append(f"{where}:{line}: an f-string")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in declared:
                undeclared.append(f"{where}:{line}: {node.value!r}")
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "AuditAction"
                and not (node.attr in AuditAction.__members__ or hasattr(AuditAction, node.attr))
            ):
                undeclared.append(f"{where}:{line}: AuditAction.{node.attr}")
    assert undeclared == []


def test_every_plain_back_office_save_has_a_declared_action():
    """Pages saved by the generic form (and their inline rows) record "<model>.created/changed": all declared."""
    models = set()
    for model, model_admin in site._registry.items():
        if isinstance(model_admin, AuditedAdmin):
            models.add(model)
            models.update(inline.model for inline in model_admin.inlines)
    assert models
    for model in models:
        for created in (True, False):
            assert AuditAction.for_admin_save(model, created=created).label


@pytest.mark.parametrize("language", ["fr", "nl", "sv"])
def test_every_action_label_is_translated(language):
    with translation.override("en"):
        english = {action: str(action.label) for action in AuditAction}
    with translation.override(language):
        untranslated = [english[action] for action in AuditAction if str(action.label) == english[action]]
    assert untranslated == []

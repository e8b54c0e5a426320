"""Hostile values in every parameter of every page never make a 500 (SECURITY checks 27 and 38).

The URLconf is walked as the tenancy matrix walks it (``helpers.url_patterns``): every page a
signed-in buyer (an administrator of their company, who holds every right) or a member of staff
can reach is fetched, its forms are read, and the parameters found there (field names and their
values as drawn) plus the query parameters the listings read (``page``, ``q``, ``status``, ``sort``
…) are sent back by GET and by POST, with a CSRF token, one parameter at a time holding a hostile
value: numbers past 64 bits or with thousands of digits, other scripts' digits, NUL, long strings,
negative numbers, decimals, empty strings. Each request runs in a savepoint rolled back afterwards,
so one example never changes what the next one sees.

Asserted: no 5xx. And where the value is a number that must be refused (a quantity, an id, a page
number, in a field or inside a "SKU;quantity" line), the database is exactly as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.carts.models import Cart, CartLine, CartShare, QuickList, QuickListLine
from comptoir.carts.services import cart_add
from comptoir.companies.models import JoinRequest
from comptoir.companies.services import invitation_create
from comptoir.core.permissions import Role
from comptoir.inventory.models import BackInStockAlert
from comptoir.orders.onboarding import onboarding_details_attach
from tests.catalogue_data import buyer_for
from tests.factories import AdminMembershipFactory, MembershipFactory, StaffFactory, UserFactory
from tests.orders.conftest import place
from tests.security.helpers import url_patterns

# Numbers that every parameter read as a number must refuse, and that "SKU;quantity" lines must refuse.
REFUSED_NUMBERS = (
    "99999999999999999999",  # past 64 bits
    str(2**63),
    "9" * 5000,  # past Python's int-from-string digit limit
    "-99999999999999999999",
    "²",  # str.isdigit() says yes, int() fails
    "٣",  # Arabic-Indic three: int() reads 3
    "\uff13",  # fullwidth three: int() reads 3
    "१२",  # Devanagari twelve
    "-1",
    "1.5",
    "1e3",
    "1_000",  # int() reads 1000
    "0x1f",
    "NaN",
    "1\x00",
)
# The sweep sends these to every parameter read as a number; the fuzz tests draw from all of them.
SWEEP = ("99999999999999999999", "9" * 5000, "²", "٣", "\uff13", "-1", "1.5")
OTHER_HOSTILE = ("", "\x00", "x" * 5000, "0", "-0", " ", "\u202e", "<script>", "%00", "'; --", "1,5")

# Query parameters the listings read, besides those of the forms found on the pages.
KNOWN_QUERY = ("page", "q", "status", "sort", "category", "brand", "season", "tag", "next", "p", "o", "e", "all")
# Parameters read as numbers (ids, quantities, page numbers, versions).
NUMERIC = {"page", "quantity", "quick_list", "company", "version", "remove", "p"}
# ... except where the name is a flag: "remove" on a cart line is a button, whatever its value.
NUMERIC_EXCEPT = {("carts:line_update", "remove")}
LINE_FIELDS = {"lines", "codes"}
# Parameters read by a view but drawn by no form (links, buttons of other pages).
READS = {
    "orders:list": {"page"},
    "catalog:list": {"page"},
    "catalog:search": {"page"},
    "orders:approve": {"version"},
    "orders:onboarding_items": {"remove"},
    "companies:switch": {"company"},
}
SKU = "DR-100"

# Never sent: they end the session or leave the site.
SKIPPED_PREFIXES = ("accounts/", "^media/", "dev/", "backoffice/login/", "backoffice/logout/", "backoffice/password")
SKIPPED_NAMES = {"backoffice:view_on_site", "backoffice:jsi18n", "backoffice:autocomplete", "health"}
# Documents that read no parameter and take seconds to make (tests/orders/test_documents.py has them).
SKIPPED_NAMES |= {"orders:pdf", "carts:import_template_xlsx"}
ADMIN_VIEWS = ("_changelist", "_add", "_change")


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class FormReader(HTMLParser):
    """The forms of a page: action, method, and each field's name with the value it would send."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._button_seen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, a.get("action", "") or self.page_url)).path
            self.forms.append(Form(action=action, method=a.get("method", "get").lower()))
            self._button_seen = False
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select and self.forms:
                self.forms[-1].fields.setdefault(self._select, a.get("value", ""))
            return
        name, fields = a["name"], self.forms[-1].fields
        if tag == "input":
            if a.get("type") in {"checkbox", "radio"} and name in fields and "checked" not in a:
                return
            if a.get("type") != "file":
                fields[name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "button" and not self._button_seen:
            self._button_seen = True  # a browser sends the button clicked: here the first one
            fields[name] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data


@dataclass(frozen=True)
class Case:
    name: str
    url: str
    method: str
    fields: tuple[tuple[str, str], ...]
    read: frozenset[str]  # the parameters the page's own forms send, and the query parameters it reads

    def params(self) -> list[str]:
        return sorted({name for name, _value in self.fields if name != "csrfmiddlewaretoken"})


def fingerprint() -> str:
    """Every row of the project's own tables: a change anywhere changes it."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if not model.__module__.startswith("comptoir."):
            continue
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _walk(client: Client, arguments: Callable[[str, URLPattern], dict[str, Any] | None], area: str) -> list[Case]:
    pages: dict[str, str] = {}
    for route, name, pattern in url_patterns():
        if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES or not name:
            continue
        if route.startswith("backoffice/") != (area == "staff"):
            continue
        if area == "staff" and route.count("/") > 1 and not name.endswith(ADMIN_VIEWS) and "<int:pk>" not in route:
            continue
        kwargs = arguments(name, pattern) if pattern.pattern.regex.groups else {}
        if kwargs is None:
            continue
        try:
            pages[reverse(name, kwargs=kwargs)] = name
        except NoReverseMatch:
            continue
    assert len(pages) > 10, pages
    forms: dict[str, list[Form]] = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code < 500, url
        if "html" in response.get("Content-Type", "") and response.status_code == 200:
            reader = FormReader(url)
            reader.feed(response.content.decode())
            for form in reader.forms:
                forms.setdefault(form.action, []).append(form)
    token = csrf_token(client)
    cases = []
    for url, name in pages.items():
        query: dict[str, str] = dict.fromkeys(KNOWN_QUERY, "")
        for form in forms.get(url, []):
            if form.method == "get":
                query.update(form.fields)
        read = frozenset(query) - set(KNOWN_QUERY) | READS.get(name, set())
        cases.append(Case(name, url, "get", tuple(sorted(query.items())), read))
        # One case per form posting here, as a browser sends it (one form, its first button).
        posted = {tuple(sorted(f.fields.items())) for f in forms.get(url, []) if f.method == "post"}
        drawn = bool(posted)
        if not drawn:  # reached by no form drawn here: send the names such views read
            posted = {tuple((key, "") for key in ("codes", "company", "lines", "quantity", "quick_list", "version"))}
        for fields in sorted(posted):
            data = {"csrfmiddlewaretoken": token, **dict(fields)}
            read = (frozenset(dict(fields)) if drawn else frozenset()) | READS.get(name, set())
            cases.append(Case(name, url, "post", tuple(sorted(data.items())), read))
    return cases


def csrf_token(client: Client) -> str:
    response = client.get(reverse("accounts:profile"))
    return response.context["csrf_token"] if response.context else ""


@st.composite
def hostile(draw: st.DrawFn) -> tuple[str, bool]:
    """A hostile value, and whether a parameter read as a number must refuse it."""
    kind = draw(st.sampled_from(["refused", "refused", "other", "text", "integer", "float"]))
    if kind == "refused":
        return draw(st.sampled_from(REFUSED_NUMBERS)), True
    if kind == "other":
        return draw(st.sampled_from(OTHER_HOSTILE)), False
    if kind == "text":
        return draw(st.text(max_size=40)), False
    if kind == "integer":
        return str(draw(st.integers(min_value=-(2**80), max_value=2**80))), False
    return str(draw(st.floats(allow_nan=True, allow_infinity=True))), False


def read_as_number(case: Case, param: str) -> bool:
    """A parameter the view reads as a number, or a "SKU;quantity" text."""
    if (case.name, param) in NUMERIC_EXCEPT:
        return False
    return param in NUMERIC or param in LINE_FIELDS or param.startswith("quantity-")


def send(client: Client, case: Case, param: str, value: str, must_refuse: bool) -> None:
    data = dict(case.fields)
    if param in LINE_FIELDS and must_refuse:
        value = f"{SKU};{value}"
    data[param] = value
    must_stay = must_refuse and param in case.read and read_as_number(case, param)
    with transaction.atomic():
        before = fingerprint() if must_stay else ""
        response = getattr(client, case.method)(case.url, data)
        assert response.status_code < 500, (case.method, case.url, param, value[:40], response.status_code)
        if must_stay:
            assert fingerprint() == before, (case.method, case.url, param, value[:40], response.status_code)
        transaction.set_rollback(True)


def _run(client: Client, cases: list[Case], data: st.DataObject) -> None:
    case = data.draw(st.sampled_from(cases), label="case")
    params = case.params()
    if not params:
        return
    param = data.draw(st.sampled_from(params), label="param")
    value, must_refuse = data.draw(hostile(), label="value")
    send(client, case, param, value, must_refuse)


# --- Who, and which objects fill the URLs' arguments ------------------------------------------------


@pytest.fixture
def buyer_world(catalogue, company, django_capture_on_commit_callbacks) -> dict[str, Any]:
    company.visible_brands.add(catalogue.acme_brand, catalogue.other_brand)
    admin = AdminMembershipFactory(company=company, user__email="admin@acme.test")
    member = MembershipFactory(company=company, user__email="member@acme.test", role=Role.SEE_PRICES)
    orderer = MembershipFactory(company=company, user__email="orderer@acme.test", orders_need_approval=True)
    buyer = buyer_for(admin)
    with django_capture_on_commit_callbacks(execute=False):
        order = place(buyer_for(orderer), key="fuzz-order")
        invitation = invitation_create(
            company=company, email="invited@acme.test", role=Role.SEE_PRICES, actor=admin.user, actor_membership=admin
        )
    cart_add(buyer=buyer, sku=SKU, quantity=2)
    onboarding_details_attach(buyer=buyer, details={"name": "New Hire", "start_date": "2030-01-06"})
    cart_add(buyer=buyer, sku="GL-300", quantity=1, kind=Cart.Kind.ONBOARDING)
    quick_list = QuickList.objects.create(company=company, owner=admin.user, name="Weekly", shared=True)
    QuickListLine.objects.create(quick_list=quick_list, product=catalogue.drill, quantity=4)
    share = CartShare.objects.create(
        company=company,
        created_by=admin.user,
        token_hash="0" * 64,
        lines=[[catalogue.drill.pk, 3]],
        expires_at=timezone.now() + timedelta(days=7),
    )
    alert = BackInStockAlert.objects.create(
        user=admin.user, company=company, product=catalogue.hidden, location=catalogue.brussels
    )
    join_request = JoinRequest.objects.create(company=company, user=UserFactory(email="joiner@acme.test"))
    return {
        "admin": admin,
        "pk": {
            "companies:member_edit": member.pk,
            "companies:member_set_active": member.pk,
            "companies:invitation_revoke": invitation.pk,
            "companies:join_request_decide": join_request.pk,
            "inventory:alert_cancel": alert.pk,
            "carts:line_update": CartLine.objects.get(cart__user=admin.user, cart__kind=Cart.Kind.STANDARD).pk,
            "carts:share_revoke": share.pk,
        },
        "quick_list": quick_list.pk,
        "order": order.number,
    }


def buyer_arguments(world: dict[str, Any]) -> Callable[[str, URLPattern], dict[str, Any] | None]:
    def arguments(name: str, pattern: URLPattern) -> dict[str, Any] | None:
        keys = set(pattern.pattern.regex.groupindex)
        if name in world["pk"]:
            return {"pk": world["pk"][name]}
        if name.startswith("carts:quick_list"):
            return {"pk": world["quick_list"]}
        if keys == {"number"}:
            return {"number": world["order"]}
        if keys == {"sku"}:
            return {"sku": SKU}
        if keys == {"token"}:
            return {"token": "x" * 32}  # an unknown token: the page answers 404, its POST too
        return None

    return arguments


def staff_arguments(company_pk: int) -> Callable[[str, URLPattern], dict[str, Any] | None]:
    def arguments(name: str, pattern: URLPattern) -> dict[str, Any] | None:
        keys = set(pattern.pattern.regex.groupindex)
        if keys == {"pk"}:
            return {"pk": company_pk}
        if keys == {"object_id"} and name.endswith("_change"):
            app_label, model_name = name.split(":")[1].rsplit("_", 1)[0].split("_", 1)
            model = apps.get_model(app_label, model_name)
            first = model.objects.order_by("pk").first()
            return {"object_id": first.pk} if first else None
        return None

    return arguments


@pytest.fixture
def buyer_cases(buyer_world) -> tuple[Client, list[Case]]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer_world["admin"].user)
    return client, _walk(client, buyer_arguments(buyer_world), "buyer")


@pytest.fixture
def staff_cases(buyer_world, company) -> tuple[Client, list[Case]]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(StaffFactory(email="staff@seller.test"))
    return client, _walk(client, staff_arguments(company.pk), "staff")


FUZZ = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_every_number_parameter_refuses_hostile_numbers_and_changes_nothing(buyer_cases):
    """The sweep: every page, every parameter read as a number (or a line holding one), each refused number."""
    client, cases = buyer_cases
    posted: dict[str, set[str]] = {}
    for case in cases:
        if case.method == "post":
            posted.setdefault(case.name, set()).update(case.params())
    # The walk found the forms that read numbers.
    assert "quantity" in posted["carts:add"]
    assert "codes" in posted["orders:scan_list"]
    assert "lines" in posted["orders:onboarding_items"]
    assert any(p.startswith("quantity-") for p in posted["carts:quick_list_quantities"])
    assert "quick_list" in posted["carts:quick_list_add"]
    sent = 0
    for value in SWEEP:
        for case in cases:
            for param in case.params():
                if read_as_number(case, param):
                    send(client, case, param, value, must_refuse=True)
                    sent += 1
    assert sent > 20 * len(SWEEP)


@FUZZ
@given(data=st.data())
def test_buyer_pages_answer_hostile_values_without_error(buyer_cases, data):
    client, cases = buyer_cases
    _run(client, cases, data)


@FUZZ
@given(data=st.data())
def test_back_office_pages_answer_hostile_values_without_error(staff_cases, data):
    client, cases = staff_cases
    _run(client, cases, data)


URL_PART_VALUES = ("9" * 30, "9" * 5000, "²", "٣", "-1", "%00", "x" * 300)


def test_url_parts_past_64_bits_or_not_numbers_are_not_found(buyer_world, client):
    """``<int:pk>`` matches any run of ASCII digits; 30 of them overflow the database's integers."""
    client.force_login(buyer_world["admin"].user)
    client.raise_request_exception = True
    checked = 0
    for route, name, pattern in url_patterns():
        keys = list(pattern.pattern.regex.groupindex)
        if not keys or route.startswith(SKIPPED_PREFIXES) or route.startswith("backoffice/"):
            continue
        for value in URL_PART_VALUES:
            try:
                url = reverse(name, kwargs=dict.fromkeys(keys, value))
            except NoReverseMatch:
                continue  # the converter itself refuses the value: the URL cannot even be asked for
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in {404, 405}, (method, url[:80], response.status_code)
                checked += 1
    assert checked > 50

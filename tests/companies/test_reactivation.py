from django.core import mail

from comptoir.companies.models import Company
from comptoir.companies.services import company_activate, company_set_status
from comptoir.core.models import AuditEvent


def test_lifting_a_suspension_keeps_the_customer_number_and_sends_no_welcome(
    admin_membership, staff_user, django_capture_on_commit_callbacks
):
    company = admin_membership.company
    company.status = Company.Status.PENDING
    company.save()
    with django_capture_on_commit_callbacks(execute=True):
        company_activate(company=company, actor=staff_user)
    assert len(mail.outbox) == 1  # the first activation welcomes the customer
    company_set_status(company=company, status=Company.Status.SUSPENDED, actor=staff_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        company_activate(company=company, actor=staff_user)
    company.refresh_from_db()
    assert company.status == Company.Status.ACTIVE
    assert list(company.customer_numbers.values_list("number", flat=True)) == ["C100001"]
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action="company.reactivated", actor=staff_user).exists()

from __future__ import annotations

from django_tasks import task

from comptoir.inventory import services


@task()
def send_back_in_stock_alert(alert_id: int) -> str:
    """E-mail one back-in-stock alert; safe to run twice (a notified alert is not mailed again)."""
    return services.alert_notify(alert_id=alert_id)

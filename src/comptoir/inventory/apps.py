from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "comptoir.inventory"
    label = "inventory"

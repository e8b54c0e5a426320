from django.apps import AppConfig


class CartsConfig(AppConfig):
    name = "comptoir.carts"
    label = "carts"

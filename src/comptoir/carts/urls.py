from django.urls import path

from comptoir.carts import views

app_name = "carts"
urlpatterns = [
    path("", views.cart, name="cart"),
    path("add/", views.cart_add, name="add"),
    path("lines/<int:pk>/", views.line_update, name="line_update"),
    path("clear/", views.cart_clear, name="clear"),
    # C4 import, C6 fast entry
    path("import/", views.cart_import, name="import"),
    path("import/template.csv", views.import_template_csv, name="import_template_csv"),
    path("import/template.xlsx", views.import_template_xlsx, name="import_template_xlsx"),
    path("fast-entry/", views.cart_fast_entry, name="fast_entry"),
    # C3 share links
    path("share/", views.cart_share, name="share"),
    path("share/<int:pk>/revoke/", views.cart_share_revoke, name="share_revoke"),
    # The token comes in the link's fragment (/cart/shared/#<token>) and reaches the server in a POST body.
    path("shared/", views.cart_shared, name="shared"),
    # C5 quick lists
    path("lists/", views.quick_lists, name="quick_lists"),
    path("lists/new/", views.quick_list_create, name="quick_list_create"),
    path("lists/from-cart/", views.quick_list_from_cart, name="quick_list_from_cart"),
    path("lists/add/", views.quick_list_add, name="quick_list_add"),
    path("lists/<int:pk>/", views.quick_list, name="quick_list"),
    path("lists/<int:pk>/rename/", views.quick_list_rename, name="quick_list_rename"),
    path("lists/<int:pk>/lines/", views.quick_list_lines, name="quick_list_lines"),
    path("lists/<int:pk>/quantities/", views.quick_list_quantities, name="quick_list_quantities"),
    path("lists/<int:pk>/delete/", views.quick_list_delete, name="quick_list_delete"),
    path("lists/<int:pk>/order/", views.quick_list_order, name="quick_list_order"),
]

from django.urls import path

from comptoir.companies import views

app_name = "companies"
urlpatterns = [
    path("choose/", views.choose_company, name="choose"),
    path("switch/", views.switch_company, name="switch"),
    path("register/", views.register_company, name="register"),
    path("join/", views.join_company, name="join"),
    path("private-persons/", views.private_persons, name="private_persons"),
    path("profile/", views.company_profile, name="profile"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/active/", views.member_set_active, name="member_set_active"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("join-requests/<int:pk>/decide/", views.join_request_decide, name="join_request_decide"),
    # The token comes in the link's fragment (/company/invitation/#<token>) and reaches the server in a POST body.
    path("invitation/", views.invitation_accept, name="invitation_accept"),
]

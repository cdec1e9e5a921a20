from django.urls import path, re_path

from . import preview, views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path("respond/<str:token>/", views.respond, name="respond"),
    path("respond/<str:token>/autosave/", views.respond_autosave, name="autosave"),
    path("rounds/<int:pk>/answer/", views.member_answer, name="member_answer"),
    path("rounds/<int:pk>/answer/autosave/", views.member_autosave, name="member_autosave"),
    path("rounds/<int:pk>/mine/", views.member_compare, name="compare"),
    path("rounds/<int:pk>/status/", views.round_status, name="status"),
    path("rounds/<int:pk>/invite/", views.round_invite, name="invite"),
    path("rounds/<int:pk>/state/<slug:action>/", views.round_state_change, name="state"),
    re_path(
        r"^rounds/(?P<pk>[0-9]+)/not-answered\.(?P<fmt>csv|xlsx)$", views.round_non_respondents, name="non_respondents"
    ),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="withdraw"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="remind"),
    path("rounds/<int:pk>/results/", views.round_results, name="results"),
    path("rounds/<int:pk>/preview/", preview.round_preview, name="preview"),
    re_path(r"^rounds/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", views.round_export, name="export"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation"),
    path("trends/", views.trends, name="trends"),
]

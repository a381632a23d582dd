from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("signin/", views.SignIn.as_view(), name="signin"),
    path("signout/", views.SignOut.as_view(), name="signout"),
    path("style.css", views.stylesheet, name="style"),
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("new/<str:kind>/", views.new_kind, name="new_kind"),
    path("template/<str:kind>.xlsx", views.template, name="template"),
    path("n/<str:notice_id>/", views.notice, name="notice"),
    path("n/<str:notice_id>/edit/", views.edit, name="edit"),
    path("n/<str:notice_id>/preview/<int:number>.png", views.preview, name="preview"),
    path("n/<str:notice_id>/upload/", views.upload, name="upload"),
    path("n/<str:notice_id>/table/", views.table, name="table"),
    path("n/<str:notice_id>/table/cell/", views.cell, name="cell"),
    path("n/<str:notice_id>/sign/", views.sign, name="sign"),
    path("build/", views.build, name="build"),
    path("files/<str:notice_id>/<str:name>", views.download, name="download"),
    path("audit/", views.audit_log, name="audit"),
]

from django.urls import path

from . import outside_views, views

app_name = "panels"

M = "meetings/<int:pk>/"
ITEM = M + "items/<int:item_pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.panel_create, name="panel-create"),
    path("<int:panel_pk>/", views.panel_detail, name="panel"),
    path("<int:panel_pk>/edit/", views.panel_edit, name="panel-edit"),
    path("<int:panel_pk>/members/<int:member_pk>/remove/", views.panel_member_remove,
         name="panel-member-remove"),
    path("meetings/new/", views.meeting_schedule, name="meeting-schedule"),
    path(M, views.meeting_detail, name="meeting"),
    path(M + "agenda/build/", views.agenda_build, name="agenda-build"),
    path(M + "agenda/add/", views.agenda_add, name="agenda-add"),
    path(M + "notice/", views.meeting_notice, name="notice"),
    path(M + "cancel/", views.meeting_cancel, name="meeting-cancel"),
    path(M + "attendance/", views.attendance, name="attendance"),
    path(M + "attendance/<int:attendance_pk>/remove/", views.attendance_remove, name="attendance-remove"),
    path(M + "agenda-pack/", views.agenda_pack, name="agenda-pack"),
    path(M + "agenda-pack.pdf", views.agenda_pack_pdf, name="agenda-pack-pdf"),
    path(M + "actions.csv", views.meeting_actions_csv, name="meeting-actions"),
    path(M + "minutes/", views.minutes_view, name="minutes"),
    path(M + "minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path(M + "minutes/notes/", views.minutes_notes, name="minutes-notes"),
    path(M + "minutes/approve/", views.minutes_approve, name="minutes-approve"),
    path(M + "minutes/addendum/", views.minutes_addendum, name="minutes-addendum"),
    path(ITEM, views.item_detail, name="item"),
    path(ITEM + "decision/", views.item_decide, name="item-decide"),
    path(ITEM + "invite/", views.item_invite, name="item-invite"),
    path(ITEM + "area/", views.item_area, name="item-area"),
    path(ITEM + "minute/", views.item_minute, name="item-minute"),
    path(ITEM + "move/", views.item_move, name="item-move"),
    path(ITEM + "remove/", views.item_remove, name="item-remove"),
    *outside_views.urlpatterns,
]

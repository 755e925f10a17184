"""Courses: the list, adding one and changing one ("add/" before
"<code>/", which would otherwise take it for a code)."""

from django.urls import path

from . import course_views as views

urlpatterns = [
    path("courses/", views.courses, name="courses"),
    path("courses/add/", views.course_add, name="course-add"),
    path("courses/<slug:code>/edit/", views.course_edit, name="course-edit"),
]

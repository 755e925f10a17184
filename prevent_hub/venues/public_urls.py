"""The public booking request and the booker's own pages (under /venue-hire/;
/venue-hire/ itself is the public policy page, public:venue-hire)."""

from django.urls import path

from . import public_views as views

app_name = "venue-hire"

urlpatterns = [
    path("booking-conditions/", views.conditions, name="conditions"),
    # The request, one question a page.
    path("request/", views.request_start, name="request-start"),
    path("request/check-your-answers/", views.request_check, name="request-check"),
    path("request/save/", views.request_save, name="request-save"),
    path("request/saved/", views.request_saved, name="request-saved"),
    path("request/sent/", views.request_submitted, name="request-submitted"),
    path("request/resume/<str:token>/", views.request_resume, name="request-resume"),
    path("request/files/<int:file_id>/remove/", views.request_file_remove, name="request-file-remove"),
    path("request/speakers/add/", views.request_speaker_add, name="request-speaker-add"),
    path("request/speakers/<int:number>/", views.request_speaker, name="request-speaker"),
    path("request/speakers/<int:number>/remove/", views.request_speaker_remove,
         name="request-speaker-remove"),
    path("request/<slug:page>/", views.request_page_with_uploads, name="request-page"),
    # The booker's own pages: the secret link, then the booking this session opened.
    path("booking/<str:token>/", views.booking, name="booking"),
    path("your-booking/", views.your_booking, name="your-booking"),
    path("your-booking/change/", views.change, name="change"),
    path("your-booking/change/speakers/add/", views.change_speaker_add, name="change-speaker-add"),
    path("your-booking/change/speakers/<int:number>/", views.change_speaker, name="change-speaker"),
    path("your-booking/change/speakers/<int:number>/remove/", views.change_speaker_remove,
         name="change-speaker-remove"),
    path("your-booking/change/<slug:page>/", views.change_page, name="change-page"),
    path("your-booking/withdraw/", views.withdraw, name="withdraw"),
    path("your-booking/appeal/", views.appeal, name="appeal"),
    path("lost-your-link/", views.lost_link, name="lost-link"),
    path("lost-your-link/sent/", views.lost_link_sent, name="lost-link-sent"),
]

"""Staff pages for venue hire (under /staff/venues/)."""
from .booking_urls import urlpatterns as booking_urlpatterns
from .venue_urls import urlpatterns as venue_urlpatterns

app_name = "venues"

urlpatterns = [*venue_urlpatterns, *booking_urlpatterns]

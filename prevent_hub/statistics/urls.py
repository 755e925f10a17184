from . import dashboard_urls, equality_urls

app_name = "statistics"
urlpatterns = [*dashboard_urls.urlpatterns, *equality_urls.urlpatterns]

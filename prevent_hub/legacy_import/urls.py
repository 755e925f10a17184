app_name = "legacy_import"
urlpatterns = []

"""Work trays: my tasks and the coordinator dashboard."""

urlpatterns = []

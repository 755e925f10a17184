"""Reviews, exit, post-exit reviews, closing and transfer."""

urlpatterns = []

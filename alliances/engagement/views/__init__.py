"""The pages of `engagement`; each module lists its own `urlpatterns`."""

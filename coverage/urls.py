from django.urls import path

from . import views

app_name = "coverage"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    # Framing matrix (issue 3)
    path("events/<slug:slug>/statements/", views.event_statements, name="event_statements"),
    path("events/<slug:slug>/compare/", views.event_compare, name="event_compare"),
    path("outlets/", views.outlet_overview, name="outlet_overview"),
]

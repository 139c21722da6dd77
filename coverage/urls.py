from django.urls import path

from . import views

app_name = "coverage"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
]

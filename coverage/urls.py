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
    path("events/<slug:slug>/claims/", views.event_claims, name="event_claims"),
    path("outlets/", views.outlet_overview, name="outlet_overview"),
    path("outlets/data.csv", views.outlet_overview, {"fmt": "csv"}, name="outlet_overview_csv"),
]

# Charts, their downloads and public share links (issue 4).
urlpatterns += [
    path("events/<slug:slug>/charts/<slug:kind>/", views.chart_detail, name="chart"),
    path("events/<slug:slug>/charts/<slug:kind>/data.csv", views.chart_download, {"fmt": "csv"}, name="chart_csv"),
    path("events/<slug:slug>/charts/<slug:kind>/figure.json", views.chart_download, {"fmt": "json"}, name="chart_json"),
    path("events/<slug:slug>/charts/<slug:kind>/share/", views.share_link_create, name="chart_share"),
    path("charts/<slug:kind>/", views.chart_detail, name="chart_across_events"),
    path("charts/<slug:kind>/data.csv", views.chart_download, {"fmt": "csv"}, name="chart_across_events_csv"),
    path("charts/<slug:kind>/figure.json", views.chart_download, {"fmt": "json"}, name="chart_across_events_json"),
    path("charts/<slug:kind>/share/", views.share_link_create, name="chart_across_events_share"),
    path("share-links/", views.share_link_list, name="share_links"),
    path("share-links/<int:pk>/revoke/", views.share_link_revoke, name="share_link_revoke"),
    path("share-links/<int:pk>/expiry/", views.share_link_expiry, name="share_link_expiry"),
    path("s/<str:token>/", views.share_chart, name="share"),
    path("s/<str:token>/data.csv", views.share_download, {"fmt": "csv"}, name="share_download_csv"),
    path("s/<str:token>/figure.json", views.share_download, {"fmt": "json"}, name="share_download_json"),
]

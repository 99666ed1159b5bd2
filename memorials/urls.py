from django.urls import path

from . import views

app_name = "memorials"

urlpatterns = [
    path("", views.home, name="home"),
    path("thank-you/", views.thanks, name="thanks"),
    # Staff work lists (login and a memorials permission required).
    path("staff/requests/", views.requests, name="requests"),
    path("staff/requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("staff/requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("staff/requests/<int:pk>/link/", views.request_link, name="request_link"),
    path("staff/queue/", views.sewing_queue, name="sewing_queue"),
    path("staff/queue/work-order/", views.work_order, name="work_order"),
    path("staff/quilts/", views.quilts, name="quilts"),
    path("staff/quilts/<int:pk>/", views.quilt, name="quilt"),
    path("staff/keepsakes/", views.keepsakes, name="keepsakes"),
]

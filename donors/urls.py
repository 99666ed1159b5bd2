from django.urls import path

from .views import depots, public, status
from .views import privacy as privacy_views

app_name = "donors"

urlpatterns = [
    # Public: become a donor, find a depot.
    path("", public.inquiry, name="inquiry"),
    path("thank-you/", public.inquiry_thanks, name="inquiry_thanks"),
    path("depots/", depots.directory, name="depots"),
    # Private links (no account): the questionnaire and the status page.
    path("q/<str:token>/", public.questionnaire, name="questionnaire"),
    path("q/<str:token>/section/<int:number>/", public.questionnaire_section, name="questionnaire_section"),
    path("q/<str:token>/review/", public.questionnaire_review, name="questionnaire_review"),
    path("q/<str:token>/save/", public.questionnaire_autosave, name="questionnaire_autosave"),
    path("s/<str:token>/", status.status, name="status"),
    path("my-page/", status.resend, name="status_resend"),
    # Depot work for staff (volunteers see their own depots only): see donors/views/depots.py.
    path("staff/depots/", depots.work, name="depot_work"),
    path("staff/depots/<int:depot_id>/ship/", depots.shipment_new, name="shipment_new"),
    path("staff/dropoffs/new/", depots.dropoff_new, name="dropoff_new"),
    path("staff/dropoffs/labels/", depots.dropoff_labels, name="dropoff_labels"),
    path("staff/dropoffs/held/", depots.dropoffs_held, name="dropoffs_held"),
    path("staff/dropoffs/<int:pk>/void/", depots.dropoff_void, name="dropoff_void"),
    path("staff/dropoffs/<int:pk>/correct/", depots.dropoff_correct, name="dropoff_correct"),
    path("staff/dropoffs/<int:pk>/label/", depots.dropoff_label, name="dropoff_label"),
    path("staff/dropoffs/export.csv", depots.dropoff_export, name="dropoff_export"),
    path("staff/freezer-checks/new/", depots.freezer_check_new, name="freezer_check_new"),
    path("staff/shipments/<int:pk>/receive/", depots.shipment_receive, name="shipment_receive"),
    path("staff/milk-report/", depots.milk_report, name="milk_report"),
    # Data rights (superusers, or staff with donors.export_donor / donors.anonymize_donor).
    path("staff/donors/<int:donor_id>/export.json", privacy_views.export_json, name="donor_export_json"),
    path("staff/donors/<int:donor_id>/export/", privacy_views.export_page, name="donor_export"),
    path("staff/donors/<int:donor_id>/anonymize/", privacy_views.anonymize, name="donor_anonymize"),
]

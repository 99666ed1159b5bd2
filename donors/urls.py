from django.urls import path

from . import views
from .milk import views as milk_views
from .models import AccessLink
from .reports import milk_views as milk_reports
from .reports import screening_views

app_name = "donors"

urlpatterns = [
    # Public: become a donor, find a depot.
    path("", views.inquiry, name="inquiry"),
    path("thank-you/", views.inquiry_thanks, name="inquiry_thanks"),
    path("depots/", milk_views.directory, name="depots"),
    # Private links (no account): the questionnaire and the status page.
    path("q/<str:token>/", views.questionnaire, name="questionnaire"),
    path("q/<str:token>/section/<int:number>/", views.questionnaire_section, name="questionnaire_section"),
    path("q/<str:token>/review/", views.questionnaire_review, name="questionnaire_review"),
    path("q/<str:token>/save/", views.questionnaire_autosave, name="questionnaire_autosave"),
    path("s/<str:token>/", views.status, name="status"),
    path(
        "s/<str:token>/language/",
        views.private_language,
        {"purpose": AccessLink.Purpose.STATUS},
        name="status_language",
    ),
    path(
        "q/<str:token>/language/",
        views.private_language,
        {"purpose": AccessLink.Purpose.QUESTIONNAIRE},
        name="questionnaire_language",
    ),
    path("my-page/", views.resend, name="status_resend"),
    # Depot work for staff (volunteers see their own depots only): see donors/milk/views.py.
    path("staff/depots/", milk_views.work, name="depot_work"),
    path("staff/depots/<int:depot_id>/ship/", milk_views.shipment_new, name="shipment_new"),
    path("staff/dropoffs/new/", milk_views.dropoff_new, name="dropoff_new"),
    path("staff/dropoffs/labels/", milk_views.dropoff_labels, name="dropoff_labels"),
    path("staff/dropoffs/held/", milk_views.dropoffs_held, name="dropoffs_held"),
    path("staff/dropoffs/<int:pk>/void/", milk_views.dropoff_void, name="dropoff_void"),
    path("staff/dropoffs/<int:pk>/correct/", milk_views.dropoff_correct, name="dropoff_correct"),
    path("staff/dropoffs/<int:pk>/label/", milk_views.dropoff_label, name="dropoff_label"),
    path("staff/dropoffs/export.csv", milk_views.dropoff_export, name="dropoff_export"),
    path("staff/freezer-checks/new/", milk_views.freezer_check_new, name="freezer_check_new"),
    path("staff/shipments/<int:pk>/receive/", milk_views.shipment_receive, name="shipment_receive"),
    path("staff/milk-report/", milk_views.milk_report, name="milk_report"),
    # Screening reports for coordinators: see donors/reports/screening_views.py.
    path("staff/reports/turnaround/", screening_views.turnaround, name="report_turnaround"),
    path("staff/reports/turnaround.csv", screening_views.turnaround_csv, name="report_turnaround_csv"),
    path("staff/reports/funnel/", screening_views.funnel, name="report_funnel"),
    path("staff/reports/funnel.csv", screening_views.funnel_csv, name="report_funnel_csv"),
    # Reports (issue 17): milk, donors and the board's annual summary; see donors/reports/milk_views.py.
    path("staff/reports/", milk_reports.index, name="reports"),
    path("staff/reports/milk/", milk_reports.milk, name="report_milk"),
    path("staff/reports/milk/<slug:table>.csv", milk_reports.milk_csv, name="report_milk_csv"),
    path("staff/reports/donors/", milk_reports.donors, name="report_donors"),
    path("staff/reports/donors.csv", milk_reports.donors_csv, name="report_donors_csv"),
    path("staff/reports/annual/", milk_reports.annual, name="report_annual"),
    path("staff/reports/annual.csv", milk_reports.annual_csv, name="report_annual_csv"),
    # Data rights (superusers, or staff with donors.export_donor / donors.anonymize_donor).
    path("staff/donors/<int:donor_id>/export.json", views.export_json, name="donor_export_json"),
    path("staff/donors/<int:donor_id>/export/", views.export_page, name="donor_export"),
    path("staff/donors/<int:donor_id>/anonymize/", views.anonymize, name="donor_anonymize"),
]

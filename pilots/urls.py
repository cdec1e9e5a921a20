from django.urls import path

from . import views
from .reporting import views as reporting

app_name = "pilots"
urlpatterns = [
    path("", views.innovation_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/funded/", views.funded, name="funded"),  # under dashboard/: no innovation slug is shadowed
    path("reports/", views.portfolio_report_choose, name="portfolio_report_choose"),
    path("reports/<int:year>-S<int:semester>/", views.portfolio_report, name="portfolio_report"),
    path("reports/<int:year>-S<int:semester>.pdf", views.portfolio_report_pdf, name="portfolio_report_pdf"),
    path("mfi-reports/", reporting.reports_home, name="mfi_reports"),
    path("mfi-reports/<int:pk>/", reporting.report_review, name="mfi_report_review"),
    path("mfi-reports/<int:pk>/attachment/", reporting.report_attachment, name="mfi_report_attachment"),
    path("measurements/<int:pk>/delete/", reporting.measurement_delete, name="measurement_delete"),
    path("<slug:slug>/", views.innovation_detail, name="detail"),
    path("<slug:slug>/mfi-reports/<str:period>/", reporting.report_form, name="mfi_report"),
    path("<slug:slug>/indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("<slug:slug>/series.csv", views.series_download, {"fmt": "csv"}, name="series_csv"),
    path("<slug:slug>/series.xlsx", views.series_download, {"fmt": "xlsx"}, name="series_xlsx"),
    path("<slug:slug>/indicators/<int:pk>/measurements/", views.indicator_measurements, name="indicator_measurements"),
    path("<slug:slug>/reports/", views.period_report_choose, name="period_report_choose"),
    path("<slug:slug>/reports/<int:year>-S<int:semester>/", views.period_report, name="period_report"),
    path("<slug:slug>/reports/<int:year>-S<int:semester>.pdf", views.period_report_pdf, name="period_report_pdf"),
    path("<slug:slug>/measurements/", views.log_measurement, name="log_measurement"),
    path("<slug:slug>/milestones/", views.record_milestone, name="record_milestone"),
    path("<slug:slug>/milestones/done/", views.complete_milestone, name="complete_milestone"),
    path("<slug:slug>/stage/", views.advance_stage, name="advance_stage"),
    path("<slug:slug>/checklist/", views.tick_checklist, name="tick_checklist"),
]

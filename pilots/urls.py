from django.urls import path

from .iati import views as iati
from .reporting import views as reporting
from .views import downloads, innovation, portfolio, quick_forms, reports

app_name = "pilots"
urlpatterns = [
    path("", portfolio.innovation_list, name="list"),
    path("dashboard/", portfolio.dashboard, name="dashboard"),
    path("dashboard/funded/", portfolio.funded, name="funded"),  # under dashboard/: no innovation slug is shadowed
    path("dashboard/iati/", iati.publishing, name="iati_publishing"),
    path("reports/", reports.portfolio_report_choose, name="portfolio_report_choose"),
    path("reports/<int:year>-S<int:semester>/", reports.portfolio_report, name="portfolio_report"),
    path("reports/<int:year>-S<int:semester>.pdf", reports.portfolio_report_pdf, name="portfolio_report_pdf"),
    path("mfi-reports/", reporting.reports_home, name="mfi_reports"),
    path("mfi-reports/<int:pk>/", reporting.report_review, name="mfi_report_review"),
    path("mfi-reports/<int:pk>/attachment/", reporting.report_attachment, name="mfi_report_attachment"),
    path("measurements/<int:pk>/delete/", reporting.measurement_delete, name="measurement_delete"),
    path("<slug:slug>/", innovation.innovation_detail, name="detail"),
    path("<slug:slug>/mfi-reports/<str:period>/", reporting.report_form, name="mfi_report"),
    path("<slug:slug>/indicators.csv", downloads.indicators_csv, name="indicators_csv"),
    path("<slug:slug>/series.csv", downloads.series_download, {"fmt": "csv"}, name="series_csv"),
    path("<slug:slug>/series.xlsx", downloads.series_download, {"fmt": "xlsx"}, name="series_xlsx"),
    path(
        "<slug:slug>/indicators/<int:pk>/measurements/",
        innovation.indicator_measurements,
        name="indicator_measurements",
    ),
    path("<slug:slug>/reports/", reports.period_report_choose, name="period_report_choose"),
    path("<slug:slug>/reports/<int:year>-S<int:semester>/", reports.period_report, name="period_report"),
    path("<slug:slug>/reports/<int:year>-S<int:semester>.pdf", reports.period_report_pdf, name="period_report_pdf"),
    path("<slug:slug>/measurements/", quick_forms.log_measurement, name="log_measurement"),
    path("<slug:slug>/milestones/", quick_forms.record_milestone, name="record_milestone"),
    path("<slug:slug>/milestones/done/", quick_forms.complete_milestone, name="complete_milestone"),
    path("<slug:slug>/stage/", quick_forms.advance_stage, name="advance_stage"),
    path("<slug:slug>/checklist/", quick_forms.tick_checklist, name="tick_checklist"),
]

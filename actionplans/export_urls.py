from django.urls import path

from actionplans import export_views as views

urlpatterns = [
    path("<slug:slug>/exports/", views.exports_page, name="exports"),
    path("<slug:slug>/exports/pdf/", views.export_pdf, name="export_pdf"),
    path("<slug:slug>/exports/<int:pk>/", views.export_status, name="export_status"),
    path("<slug:slug>/exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("<slug:slug>/commitments.csv", views.plan_csv, name="plan_csv"),
    path("<slug:slug>/plan.json", views.plan_json, name="plan_json"),
    path("<slug:slug>/reasoned-responses/", views.register, name="register"),
    path("<slug:slug>/reasoned-responses.csv", views.register_csv, name="register_csv"),
    path("<slug:slug>/commitments/<int:number>/pdf/", views.export_pdf, name="commitment_pdf"),
]

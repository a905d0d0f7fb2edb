from django.urls import path

from homeward.appeals.views import campaigns, filings, ledger

app_name = "appeals"
urlpatterns = [
    path("", campaigns.campaign_list, name="list"),
    path("new/", campaigns.campaign_new, name="new"),
    path("ledger/", ledger.ledger_page, name="ledger"),
    path("ledger.csv", ledger.ledger_csv, name="ledger_csv"),
    path("mine/", filings.my_filings, name="mine"),
    path("<int:pk>/", campaigns.campaign_detail, name="detail"),
    path("<int:pk>/sign/", campaigns.campaign_sign, name="sign"),
    path("<int:pk>/withdraw/", campaigns.campaign_withdraw, name="withdraw"),
    path("<int:pk>/copy/", filings.campaign_copy, name="copy"),
    path("<int:pk>/file/", filings.filing_new, name="filing_new"),
    path("<int:pk>/edit/", campaigns.campaign_edit, name="edit"),
    path("<int:pk>/close/", campaigns.campaign_close, name="close"),
    path("<int:pk>/dashboard/", campaigns.campaign_dashboard, name="dashboard"),
    path("<int:pk>/dashboard.csv", campaigns.campaign_dashboard_csv, name="dashboard_csv"),
    path("<int:pk>/letter.pdf", campaigns.campaign_letter, name="letter"),
    path("filings/<int:pk>/", filings.filing_detail, name="filing"),
    path("filings/<int:pk>/edit/", filings.filing_edit, name="filing_edit"),
    path("filings/<int:pk>/outcome/", filings.filing_outcome, name="filing_outcome"),
    path("filings/<int:pk>/outcome/clear/", filings.filing_outcome_clear, name="filing_outcome_clear"),
    path("filings/<int:pk>/extension/", filings.filing_extension, name="filing_extension"),
    path("filings/<int:pk>/reply/", filings.filing_reply, name="filing_reply"),
    path("filings/<int:pk>/reply/file/", filings.filing_reply_file, name="filing_reply_file"),
    path("filings/<int:pk>/reply/delete/", filings.filing_reply_delete, name="filing_reply_delete"),
    path("filings/<int:pk>/complaint/", filings.filing_complaint, name="filing_complaint"),
    path("filings/<int:pk>/delete/", filings.filing_delete, name="filing_delete"),
]

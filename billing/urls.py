from django.urls import path

from . import (
    arrears_views,
    collection_views,
    customer_views,
    invoice_views,
    latefee_views,
    paid_views,
    statement_views,
    views,
)

desk_patterns = [
    path("billing/bills/", views.BillListView.as_view(), name="bill_list"),
    path("billing/bills/<int:pk>/", views.BillDetailView.as_view(), name="bill_detail"),
    path("billing/bills/<int:pk>/late-fee/waive/", latefee_views.LateFeeWaiveView.as_view(), name="late_fee_waive"),
    path("billing/accounts/<int:tenant_pk>/", views.AccountView.as_view(), name="account"),
    # 对账单 statements
    path("billing/accounts/<int:tenant_pk>/statement/", statement_views.StatementView.as_view(), name="statement"),
    path(
        "billing/accounts/<int:tenant_pk>/statement/pdf/",
        statement_views.StatementPdfView.as_view(),
        name="statement_pdf",
    ),
    path("billing/accounts/<int:tenant_pk>/bill/", views.BillCreateView.as_view(), name="bill_new"),
    path("billing/accounts/<int:tenant_pk>/pay/", views.PaymentCreateView.as_view(), name="payment_new"),
    path("billing/payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("billing/payments/<int:pk>/", views.PaymentDetailView.as_view(), name="payment_detail"),
    path("billing/payments/<int:pk>/receipt/", views.ReceiptPdfView.as_view(), name="receipt_pdf"),
    path("billing/deposits/", views.DepositListView.as_view(), name="deposit_list"),
    # 有偿服务 paid services
    path("billing/services/", paid_views.ServiceChargeListView.as_view(), name="service_charge_list"),
    path("billing/services/new/", paid_views.ServiceChargeCreateView.as_view(), name="service_charge_new"),
    path("billing/services/<int:pk>/", paid_views.ServiceChargeDetailView.as_view(), name="service_charge_detail"),
    path("billing/price-list/", paid_views.PriceListView.as_view(), name="price_list"),
    # 催缴 arrears
    path("billing/arrears/<int:tenant_pk>/", arrears_views.ArrearsAccountView.as_view(), name="arrears_account"),
    path("billing/arrears/notices/", arrears_views.BatchNoticesView.as_view(), name="arrears_notices"),
    path("billing/arrears/notices/<int:pk>/", arrears_views.NoticePdfView.as_view(), name="arrears_notice_pdf"),
    path(
        "billing/arrears/notice-batches/<int:pk>/",
        arrears_views.NoticeBatchView.as_view(),
        name="arrears_notice_batch",
    ),
    path(
        "billing/arrears/notice-batches/<int:pk>/pdf/",
        arrears_views.NoticeBatchPdfView.as_view(),
        name="arrears_notice_batch_pdf",
    ),
    path("billing/arrears/escalation/", arrears_views.EscalationView.as_view(), name="arrears_escalation"),
    path("billing/arrears/letters/<int:pk>/", arrears_views.DemandLetterView.as_view(), name="demand_letter"),
    path(
        "billing/arrears/letters/<int:pk>/pdf/", arrears_views.DemandLetterPdfView.as_view(), name="demand_letter_pdf"
    ),
    # 收缴 the collection dashboard
    path("billing/collection/", collection_views.CollectionView.as_view(), name="collection"),
    path("billing/collection/export/", collection_views.CollectionExportView.as_view(), name="collection_export"),
    # 客户 customers: payers who are not tenants (billing.payers)
    path("billing/customers/", customer_views.CustomerListView.as_view(), name="customer_list"),
    path("billing/customers/new/", customer_views.CustomerFormView.as_view(), name="customer_new"),
    path("billing/customers/<int:pk>/", customer_views.CustomerDetailView.as_view(), name="customer_detail"),
    path("billing/customers/<int:pk>/edit/", customer_views.CustomerFormView.as_view(), name="customer_edit"),
    path("billing/customers/<int:pk>/bill/", customer_views.CustomerBillCreateView.as_view(), name="customer_bill_new"),
    path(
        "billing/customers/<int:pk>/pay/",
        customer_views.CustomerPaymentCreateView.as_view(),
        name="customer_payment_new",
    ),
    path("billing/customers/<int:pk>/deposit/", customer_views.DepositTakeView.as_view(), name="customer_deposit"),
    path(
        "billing/customers/<int:pk>/deposit/settle/",
        customer_views.DepositSettleView.as_view(),
        name="customer_deposit_settle",
    ),
    path(
        "billing/customers/<int:pk>/statement/",
        customer_views.CustomerStatementView.as_view(),
        name="customer_statement",
    ),
    path(
        "billing/customers/<int:pk>/statement/pdf/",
        customer_views.CustomerStatementPdfView.as_view(),
        name="customer_statement_pdf",
    ),
    # 发票 VAT invoice requests
    path("billing/invoices/", invoice_views.InvoiceRequestListView.as_view(), name="invoice_list"),
    path("billing/invoices/<int:pk>/", invoice_views.InvoiceRequestDetailView.as_view(), name="invoice_detail"),
    path("billing/invoices/<int:pk>/issue/", invoice_views.InvoiceIssueView.as_view(), name="invoice_issue"),
    path(
        "billing/accounts/<int:tenant_pk>/invoice/",
        invoice_views.DeskInvoiceRequestNewView.as_view(),
        name="invoice_new",
    ),
    path("move-ins/<int:pk>/charges/", views.MoveInChargesView.as_view(), name="movein_charges"),
    path("move-outs/<int:pk>/deposit/", views.MoveOutDepositView.as_view(), name="moveout_deposit"),
]
portal_patterns = [
    path("billing/", views.PortalBillingView.as_view(), name="billing_home"),
    path("billing/bills/<int:pk>/", views.PortalBillDetailView.as_view(), name="bill_detail"),
    path("billing/payments/<int:pk>/receipt/", views.PortalReceiptPdfView.as_view(), name="receipt_pdf"),
    path("billing/price-list/", views.PortalPriceListView.as_view(), name="price_list"),
    path("billing/statement/", statement_views.PortalStatementView.as_view(), name="statement"),
    path("billing/statement/pdf/", statement_views.PortalStatementPdfView.as_view(), name="statement_pdf"),
    path("billing/notices/", arrears_views.PortalNoticesView.as_view(), name="arrears_notices"),
    path("billing/notices/<int:pk>/", arrears_views.PortalNoticePdfView.as_view(), name="arrears_notice_pdf"),
    path("billing/letters/<int:pk>/", arrears_views.PortalDemandLetterPdfView.as_view(), name="demand_letter_pdf"),
    path("billing/invoices/", invoice_views.PortalInvoiceListView.as_view(), name="invoice_list"),
    path("billing/invoices/new/", invoice_views.PortalInvoiceNewView.as_view(), name="invoice_new"),
    path("billing/invoices/<int:pk>/", invoice_views.PortalInvoiceDetailView.as_view(), name="invoice_detail"),
]

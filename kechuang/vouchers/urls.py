from django.urls import path

from kechuang.vouchers import views

app_name = "vouchers"
urlpatterns = [
    path("", views.schemes, name="schemes"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("applications/", views.applications, name="applications"),
    path("redemptions/", views.redemptions, name="redemptions"),
    path("list/", views.voucher_list, name="list"),
    path("v/<str:number>/", views.voucher_detail, name="voucher"),
    path("files/<int:pk>/", views.redemption_file, name="file"),
    path("mine/", views.mine, name="mine"),
    path("provider/", views.provider_portal, name="provider"),
    path("provider/<str:number>/redeem/", views.redeem, name="redeem"),
    path("providers/", views.public_providers, name="providers"),
    path("providers/manage/", views.manage_providers, name="manage_providers"),
]

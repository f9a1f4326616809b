from django.urls import path

from . import auth, otp, views

app_name = "users"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("login/code/", otp.verify, name="otp_verify"),
    path("login/authenticator/", otp.enrol, name="otp_enrol"),
    path("logout/", auth.logout_view, name="logout"),
    path("account/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("account/token/", views.my_token, name="token"),
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/add/", views.DepartmentEditView.as_view(), name="department_add"),
    path("departments/<int:pk>/", views.DepartmentView.as_view(), name="department"),
    path("departments/<int:pk>/edit/", views.DepartmentEditView.as_view(), name="department_edit"),
    path("departments/<int:pk>/delete/", views.DepartmentDeleteView.as_view(), name="department_delete"),
    path("zones/", views.ZoneListView.as_view(), name="zone_list"),
    path("zones/add/", views.ZoneEditView.as_view(), name="zone_add"),
    path("zones/<int:pk>/", views.ZoneView.as_view(), name="zone"),
    path("zones/<int:pk>/edit/", views.ZoneEditView.as_view(), name="zone_edit"),
    path("zones/<int:pk>/delete/", views.ZoneDeleteView.as_view(), name="zone_delete"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserEditView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserView.as_view(), name="user"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/unlock/", views.unlock_user, name="user_unlock"),
    path("users/<int:pk>/reset-otp/", views.reset_otp, name="user_reset_otp"),
    path("permissions/", views.ObjectPermissionListView.as_view(), name="objectpermission_list"),
    path("permissions/add/", views.ObjectPermissionEditView.as_view(), name="objectpermission_add"),
    path("permissions/<int:pk>/", views.ObjectPermissionView.as_view(), name="objectpermission"),
    path(
        "permissions/<int:pk>/edit/", views.ObjectPermissionEditView.as_view(), name="objectpermission_edit"
    ),
    path(
        "permissions/<int:pk>/delete/",
        views.ObjectPermissionDeleteView.as_view(),
        name="objectpermission_delete",
    ),
    path("account-requests/", views.AccountRequestListView.as_view(), name="accountrequest_list"),
    path("account-requests/<int:pk>/", views.AccountRequestView.as_view(), name="accountrequest"),
    path("account-requests/<int:pk>/approve/", views.approve_request, name="accountrequest_approve"),
    path("account-requests/<int:pk>/reject/", views.reject_request, name="accountrequest_reject"),
]

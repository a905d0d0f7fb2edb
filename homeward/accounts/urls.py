from django.urls import path

from homeward.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/codes/", views.recovery_codes_show, name="recovery_codes_show"),
    path("login/", views.signin, name="login"),
    path("login/code/", views.signin_second_factor, name="login_otp"),
    path("logout/", views.signout, name="logout"),
    path("recover/", views.recover, name="recover"),
    path("language/", views.language, name="language"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/passphrase/", views.passphrase_change, name="passphrase_change"),
    path("settings/recovery-codes/", views.recovery_codes_regenerate, name="recovery_codes_regenerate"),
    path("settings/2fa/", views.totp_setup, name="totp_setup"),
    path("settings/2fa/off/", views.totp_disable, name="totp_disable"),
    path("settings/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("settings/delete/", views.account_delete, name="delete"),
]

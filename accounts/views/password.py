"""Password change (logged in) and reset (by e-mail) for local accounts: Django's views, our templates.

The work and the access log are in accounts/passwords.py.
"""

from axes.helpers import get_credentials, get_lockout_response
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy

from .. import passwords


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/change_password_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            raise Http404("no local password")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not passwords.password_check_allowed(request=request):
            return get_lockout_response(request, credentials=get_credentials(request.user.get_username()))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            passwords.password_check_failed(request=self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        passwords.password_change(request=self.request, form=form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/change_password_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/reset_password_form.html"
    email_template_name = "registration/reset_password_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"site_name": "IOP"}

    def post(self, request, *args, **kwargs):
        if not passwords.password_reset_allowed(request=request):
            return render(request, "registration/reset_password_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        passwords.password_reset_request(
            request=self.request,
            form=form,
            use_https=self.request.is_secure(),
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/reset_password_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/reset_password_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        passwords.password_reset_complete(request=self.request, form=form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/reset_password_complete.html"

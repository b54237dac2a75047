from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from agreements.forms.accounts import EmailAuthenticationForm, SignupForm
from agreements.models import FreelancerProfile
from agreements.views.language import language_at_login


class LoginView(auth_views.LoginView):
    """Django's login, which also puts the freelancer's pages in the language they chose."""

    authentication_form = EmailAuthenticationForm

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        saved = FreelancerProfile.objects.filter(user=user).values_list("language", flat=True).first()
        return language_at_login(
            self.request, response, saved,
            lambda language: FreelancerProfile.objects.update_or_create(user=user, defaults={"language": language}),
        )


@login_not_required
@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("agreements:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Emails and alerts in the language they signed up in.
        FreelancerProfile.objects.create(user=user, language=translation.get_language() or "en")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Vachan. Start by adding your first client."))
        return redirect("clients:create")
    return render(request, "registration/signup.html", {"form": form})

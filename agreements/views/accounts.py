from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from agreements.forms.accounts import EmailAuthenticationForm, SignupForm
from agreements.models import FreelancerProfile
from agreements.views.language import chosen_before_login, language_at_login


class LoginView(auth_views.LoginView):
    """Django's login, which also puts the freelancer's pages in the language they chose."""

    authentication_form = EmailAuthenticationForm

    def form_valid(self, form):
        chosen = chosen_before_login(self.request)
        return language_at_login(super().form_valid(form), chosen=chosen, user=form.get_user())


@login_not_required
@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("agreements:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Emails and alerts in the language of the pages they signed up in.
        FreelancerProfile.objects.create(user=user, language=request.LANGUAGE_CODE)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Vachan. Start by adding your first client."))
        return redirect("clients:create")
    return render(request, "registration/signup.html", {"form": form})

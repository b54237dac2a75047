from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agreements.forms.documents import ProfileForm
from agreements.models.profile import profile_for


def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=profile_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details are saved. New contracts and summaries will show them."))
        return redirect("agreements:profile")
    return render(request, "agreements/profile_form.html", {"form": form})

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Clause(models.Model):
    """A numbered clause of a contract: a heading and plain text (never HTML)."""

    title = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), max_length=20_000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class DefaultClause(Clause):
    """One of a freelancer's own default clauses, copied into each new project's contract."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="default_clauses",
        verbose_name=_("owner"),
    )

    class Meta(Clause.Meta):
        verbose_name = _("default clause")
        verbose_name_plural = _("default clauses")


class ProjectClause(Clause):
    """A clause of one project's contract, editable until the client has agreed."""

    project = models.ForeignKey(
        "agreements.Project", on_delete=models.CASCADE, related_name="clauses", verbose_name=_("project")
    )

    class Meta(Clause.Meta):
        verbose_name = _("contract clause")
        verbose_name_plural = _("contract clauses")

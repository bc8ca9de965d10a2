"""Bulk assignment from the list pages: give the selected records to another owner
(`followups.assignment.records_assign` does it)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gendan.followups.assignment import KINDS, MAX_SELECTION, records_assign
from gendan.ui.lists import safe_next


class BulkAssignForm(forms.Form):
    ids = forms.CharField()
    owner_id = forms.IntegerField()

    def id_list(self) -> list[int]:
        ids = [int(x) for x in self.cleaned_data["ids"].split(",") if x.strip().isdigit()]
        return list(dict.fromkeys(ids))[:MAX_SELECTION]


@require_POST
@login_required
def bulk_assign(request, kind: str):
    if kind not in KINDS:
        raise Http404
    back = safe_next(request, reverse(f"{kind}:list"))
    form = BulkAssignForm(request.POST)
    if not form.is_valid() or not form.id_list():
        messages.error(request, _("Choose records and an owner."))
        return redirect(back)
    result = records_assign(
        actor=request.user, kind=kind, ids=form.id_list(), owner_id=form.cleaned_data["owner_id"]
    )
    done, failed = result.done, result.failed
    if done:
        messages.success(
            request,
            ngettext("%(n)d record assigned.", "%(n)d records assigned.", done) % {"n": done},
        )
    if failed:
        messages.warning(
            request,
            ngettext(
                "%(n)d record could not be assigned (out of your scope or not allowed).",
                "%(n)d records could not be assigned (out of your scope or not allowed).",
                failed,
            )
            % {"n": failed},
        )
    return redirect(back)

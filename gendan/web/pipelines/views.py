"""Settings → Pipelines and stages: each pipeline's stages and their rules."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gendan.deals import rules, selectors, services
from gendan.fields.choices import RecordType
from gendan.fields.selectors import definitions
from gendan.org.services import require_admin
from gendan.ui.dialogs import dialog_flow
from gendan.ui.templatetags.gendan import local_name
from gendan.web.pipelines.forms import StageRulesForm, required_field_choices


@require_GET
@login_required
def pipeline_settings(request):
    require_admin(request.user)
    labels = dict(required_field_choices(definitions(RecordType.DEAL)))
    pipelines = []
    for pipeline in selectors.pipeline_list(actor=request.user, include_inactive=True):
        stages = [
            {
                "stage": stage,
                "required": [labels.get(f, f) for f in stage.required_fields or []],
                "items": rules.normalized(stage.key_actions),
            }
            for stage in pipeline.stages.all()
        ]
        pipelines.append({"pipeline": pipeline, "stages": stages})
    return render(
        request,
        "pipelines/pipeline_settings.html",
        {"pipelines": pipelines, "settings_tab": "pipelines"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def stage_edit(request, stage_id: int):
    require_admin(request.user)
    stage = selectors.stage_get(actor=request.user, stage_id=stage_id)
    form = StageRulesForm(
        request.POST or None, stage=stage, custom_fields=definitions(RecordType.DEAL)
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.stage_update(
            actor=request.user,
            stage_id=stage.pk,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        ),
        done_url=lambda saved: f"{reverse('pipeline_settings:list')}#stage-{saved.pk}",
        reload=True,  # the dialog's own page, at the stage's row
        title=_("Edit the stage “%(stage)s”") % {"stage": local_name(stage)},
        action=reverse("pipeline_settings:stage_edit", args=[stage.pk]),
        intro=_(
            "Empty a key action's text to remove it; change the numbers to reorder. A mandatory "
            "key action must be ticked before a deal leaves the stage (except to a lost stage)."
        ),
    )

from django.urls import path

from gendan.web import audit
from gendan.web.automation.views import notifications, rules

app_name = "settings"

urlpatterns = [
    path("rules/", rules.rule_list, name="rules"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/templates/<str:key>/enable/", rules.template_enable, name="template_enable"),
    path("rules/<int:rule_id>/", rules.rule_detail, name="rule_detail"),
    path("rules/<int:rule_id>/edit/", rules.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/toggle/", rules.rule_toggle, name="rule_toggle"),
    path("rules/<int:rule_id>/delete/", rules.rule_delete, name="rule_delete"),
    path("rules/<int:rule_id>/test/", rules.rule_test, name="rule_test"),
    path("notifications/", notifications.notification_settings, name="notifications"),
    path("audit-log/", audit.audit_log, name="audit_log"),
    path("chat-channels/new/", notifications.chat_channel_create, name="channel_create"),
    path(
        "chat-channels/<int:channel_id>/edit/", notifications.chat_channel_edit, name="channel_edit"
    ),
    path(
        "chat-channels/<int:channel_id>/delete/",
        notifications.chat_channel_delete,
        name="channel_delete",
    ),
    path(
        "chat-channels/<int:channel_id>/test/", notifications.chat_channel_test, name="channel_test"
    ),
]

from django import forms

from .models import RetentionSettings


class RetentionSettingsForm(forms.ModelForm):
    class Meta:
        model = RetentionSettings
        fields = ["kaa_months_after_scope", "outreach_months_after_end", "import_rejections_days"]

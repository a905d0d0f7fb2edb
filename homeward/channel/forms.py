from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.forms import clean_text
from homeward.channel.models import Visibility
from homeward.chapters.models import Chapter
from homeward.lib.uploads import clean_image, clean_video

MAX_IMAGES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_IMAGES:
            raise ValidationError(_("At most %(n)s images per post.") % {"n": MAX_IMAGES}, code="too_many")
        cleaned, errors = [], []
        for f in files:
            try:
                cleaned.append(clean_image(f))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_(
            "**bold**, *italic*, [link](https://…), lists with “- ”. No images or embeds in the text: attach images below."
        ),
    )
    visibility = forms.ChoiceField(label=_("Who can read it"), choices=Visibility.choices, initial=Visibility.PUBLIC)
    chapter = forms.ModelChoiceField(
        label=_("Chapter (for chapter posts)"), queryset=Chapter.objects.none(), required=False
    )
    images = MultipleImageField(label=_("Images (up to 10; location and camera data are removed)"))
    video = forms.FileField(
        label=_("One short video (MP4 or WebM, up to 50 MB; its metadata is kept, so remove location first)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    action = forms.ChoiceField(
        label=_("When"),
        choices=[
            ("publish", _("Publish now")),
            ("draft", _("Save as draft")),
            ("schedule", _("Publish at a set time")),
        ],
        initial="publish",
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False, widget=DateTimeInput())

    def __init__(self, *args, chapters, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = chapters
        self.editing = editing
        if editing is not None:
            del self.fields["action"]
            del self.fields["publish_at"]
            del self.fields["video"]
            media = list(editing.media.all())
            if media:
                self.fields["remove_media"] = forms.MultipleChoiceField(
                    label=_("Remove attached files"),
                    required=False,
                    choices=[(m.pk, f"{m.get_kind_display()} {i + 1}") for i, m in enumerate(media)],
                    widget=forms.CheckboxSelectMultiple,
                )

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"]).strip()
        if not body:
            raise ValidationError(_("Write something first."), code="empty")
        return body

    def clean_video(self):
        f = self.cleaned_data.get("video")
        return clean_video(f) if f else None

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Visibility.CHAPTER and not data.get("chapter"):
            self.add_error("chapter", _("Choose the chapter whose members will read it."))
        if data.get("visibility") != Visibility.CHAPTER:
            data["chapter"] = None
        if data.get("action") == "schedule":
            at = data.get("publish_at")
            if not at:
                self.add_error("publish_at", _("Choose when to publish."))
            elif at <= timezone.now():
                self.add_error("publish_at", _("This time has passed. Choose a time in the future."))
        if self.editing is not None and data.get("images"):
            kept = self.editing.media.filter(kind="image").exclude(pk__in=data.get("remove_media") or []).count()
            if kept + len(data["images"]) > MAX_IMAGES:
                self.add_error("images", _("At most %(n)s images per post.") % {"n": MAX_IMAGES})
        return data

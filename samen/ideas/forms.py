"""Forms of the residents' side of ideas: they validate, they never write."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from samen.core import inputs
from samen.core.forms import Form, an_id
from samen.ideas.models import Tag
from samen.ideas.operations import BODY_MAX, COMMENT_MAX, TITLE_MAX

MARKDOWN_HINT = _l("You can use Markdown: **bold**, *italic*, lists and links.")
ANONYMOUS_HINT = _l("The public and other members see 'anonymous participant'. The chairs and "
                    "administrators of this think tank can see who you are, for moderation.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class TagsField(SelectMultipleField):
    """Checkboxes of the think tank's tags; a value it does not offer is an error that names the value."""

    def pre_validate(self, form: Any) -> None:
        offered = {value for value, _label in self.choices or []}
        unknown = sorted(set(self.data or []) - offered)
        if unknown:
            raise ValidationError(_l("Unknown tag: %(tags)s. Choose from the tags this think tank offers.",
                                     tags=", ".join(unknown)))


class IdeaForm(Form):
    """Post or edit an idea; the think tank's tags are given to the constructor."""

    title = StringField(_l("Title"), filters=[_strip],
                        validators=[DataRequired(_l("Give your idea a title.")), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Your idea"), description=MARKDOWN_HINT,
                         validators=[Optional(), Length(max=BODY_MAX)])
    tags = TagsField(_l("Tags"), choices=[], validate_choice=True)
    anonymous = BooleanField(_l("Appear as anonymous participant"), description=ANONYMOUS_HINT)
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Post idea"))

    def __init__(self, *args: Any, tags: list[Tag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tags.choices = [(tag.slug, tag.name) for tag in tags]

    @property
    def wants_preview(self) -> bool:
        """Whether the 'Preview' button sent the form: show it again, store nothing."""
        return bool(self.preview.data)


class CommentForm(Form):
    """Comment on an idea, or reply to a comment (parent_id)."""

    body = TextAreaField(_l("Comment"), description=MARKDOWN_HINT, filters=[_strip],
                         validators=[DataRequired(_l("Write a comment first.")), Length(max=COMMENT_MAX)])
    parent_id = HiddenField(validators=[Optional(), an_id])
    anonymous = BooleanField(_l("Appear as anonymous participant"), description=ANONYMOUS_HINT)

    @property
    def parent(self) -> int | None:
        """The comment this replies to, as an id, or None for a comment on the idea itself."""
        return int(self.parent_id.data) if inputs.is_id(self.parent_id.data) else None


class EditCommentForm(Form):
    """Change your own comment."""

    body = TextAreaField(_l("Comment"), description=MARKDOWN_HINT, filters=[_strip],
                         validators=[DataRequired(_l("Write a comment first.")), Length(max=COMMENT_MAX)])

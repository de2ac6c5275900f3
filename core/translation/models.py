from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class MachineTranslation(models.Model):
    """One field of one object, machine-translated into one language, made by the worker.

    `source_hash` is a hash of the text that was translated: when the text changes, the row
    no longer matches and is never shown (the next translation of it replaces the row). A
    row whose `source_language` is its `target_language` (the text was already in that
    language) has no text and means "nothing to translate"."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=60)
    target_language = models.CharField(_("language"), max_length=10)
    source_language = models.CharField(_("original language"), max_length=10, blank=True)
    source_hash = models.CharField(max_length=40)
    text = models.TextField(_("translation"), blank=True)
    backend = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("machine translation")
        verbose_name_plural = _("machine translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "target_language"],
                name="translation_one_per_field_and_language",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}.{self.field} → {self.target_language}"

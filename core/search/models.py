from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One findable row of a registered kind (core/search/registry.py), as its app described
        it, kept current by signals after each commit (core/search/signals.py) and rebuilt by
        `manage.py search_rebuild`.

        On PostgreSQL `vector` holds the title (weight A) and the body (weight B) parsed with the
        text's own language configuration (`config`), GIN-indexed, and the title has a trigram
        index for misspelt words, and each kind's entries are indexed most recent first, the
        order in which the search looks at them (all made by the migrations, on PostgreSQL only).
        On SQLite `vector` stays empty and `title_folded` and `body_folded` (lower case, without
        accents) are matched instead.

    `public` says whether anonymous visitors may open the row, as its kind's `visible` said when
    the row was last indexed: a save of the row or of a parent whose fields the rules read
    indexes it again, and `search_public_refresh` (hourly) asks again for every entry, for a
    change that sent no signal (a bulk update)."""

    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.PositiveBigIntegerField()
    forum_id = models.PositiveBigIntegerField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    config = models.CharField(max_length=20, default="simple")
    vector = SearchVectorField(null=True, blank=True)
    # Whether an anonymous visitor may open the row (its kind's `visible`), as of its last
    # indexing: such entries are found without asking the kind's rules again. None: not known
    # (an entry indexed before the field existed, until migrate's end asks: apps.py).
    public = models.BooleanField(null=True, default=None)
    title_folded = models.CharField(max_length=300, blank=True)
    body_folded = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_one_entry_per_row")
        ]
        indexes = [
            models.Index(fields=["forum_id"], name="search_entry_forum"),
            models.Index(fields=["date"], name="search_entry_date"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"

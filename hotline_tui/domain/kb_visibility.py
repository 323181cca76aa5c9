"""Who may see a knowledge article: the one rule, from which the article check, the SQL of the
article lists and the search index's filter are all built.

Operators and dispatchers see published articles; a department's handlers also see their own
department's articles in any status (drafts, those in review, retired ones); supervisors and
administrators see everything. An article someone may not see does not exist for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.domain.kb import ArticleStatus
from hotline_tui.domain.states import Role

__all__ = ["ArticleScope", "article_scope"]


@dataclass(frozen=True)
class ArticleScope:
    """The articles one person may see: all of them, or the published ones plus, in any status,
    those owned by ``own_dept_id``."""

    everything: bool
    own_dept_id: int | None = None

    @property
    def sees_unpublished(self) -> bool:
        """Whether any unpublished article is visible (to ask for other statuses at all)."""
        return self.everything or self.own_dept_id is not None

    def admits(self, status: str, owner_dept_id: int | None) -> bool:
        if self.everything or status == ArticleStatus.PUBLISHED:
            return True
        return self.own_dept_id is not None and owner_dept_id == self.own_dept_id


def article_scope(role: Role, dept_id: int | None) -> ArticleScope:
    if role in (Role.SUPERVISOR, Role.ADMIN):
        return ArticleScope(everything=True)
    if role is Role.HANDLER and dept_id is not None:
        return ArticleScope(everything=False, own_dept_id=dept_id)
    return ArticleScope(everything=False)

"""Generated documentation: the policy handbook, state diagrams, diff and public notices.

The pipeline is extract -> model -> render: :func:`extract_handbook` and
:func:`extract_notices` read a policy or a book into frozen models; page builders turn a
model into language-specific :class:`Page` blocks (texts from :mod:`creditflow.docs.labels`);
:func:`page_markdown` and :func:`page_html` render a page; :func:`write_site` writes a site.
"""

from creditflow.docs.diff import diff_page
from creditflow.docs.document import Page
from creditflow.docs.extract import extract_handbook
from creditflow.docs.handbook import handbook_pages
from creditflow.docs.html import page_html
from creditflow.docs.markdown import page_markdown
from creditflow.docs.model import Handbook
from creditflow.docs.notice_pages import notice_page
from creditflow.docs.notices import Notices, extract_notices
from creditflow.docs.site import site_pages, write_site

__all__ = [
    "Handbook",
    "Notices",
    "Page",
    "diff_page",
    "extract_handbook",
    "extract_notices",
    "handbook_pages",
    "notice_page",
    "page_html",
    "page_markdown",
    "site_pages",
    "write_site",
]

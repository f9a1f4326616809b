"""The key-project pages, one module per page family (``urls.py`` names them):
``keyprojects`` (list, project page, edit), ``records`` (monthly reports, plans, milestones),
``blockers``, ``scheduling``, ``weekly``, ``statistics`` and ``rules``; ``common`` holds what
they share."""

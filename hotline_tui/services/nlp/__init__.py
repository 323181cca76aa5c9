"""Language understanding at intake: classifiers of the caller's words, trained on the city's
own history, for the request type, the category and the lead department.

- :mod:`.features`, :mod:`.classifier` - what a model sees and how it ranks (scikit-learn);
- :mod:`.datasets`, :mod:`.history` - labelled texts from a file or from the orders;
- :mod:`.training` - cross-validated training (the auto-fill threshold) and evaluation;
- :mod:`.files` - the versioned model files under the data directory;
- :mod:`.service` - the ``hotline nlp`` actions (permission, audit);
- :mod:`.suggest` - the suggestions the intake form asks for (models loaded in the background,
  nothing needed for the console to work);
- :mod:`.departments` - the lead department: the dispatch catalogue first, the model second.

The scores themselves are pure functions in :mod:`hotline_tui.domain.nlp_metrics`. Nothing
here is imported at the console's or ``hotline --help``'s start.
"""

"""The convviz app, one module per page section; ``app.py`` sets the page and lays them out.

- :mod:`ui.fields`: the controls the app offers (labels, ranges, help) and its constants
- :mod:`ui.link`: reading a link into a view, and what the app's controls can hold
- :mod:`ui.state`: session state (one :func:`ui.state.init_state`), loading, callbacks
- :mod:`ui.sidebar`: the configuration controls
- :mod:`ui.messages`: what the page says when a link or a combination cannot work
- :mod:`ui.formula`, :mod:`ui.player`, :mod:`ui.values`, :mod:`ui.pytorch`,
  :mod:`ui.share`, :mod:`ui.downloads`: the main area's sections
- :mod:`ui.cache`: the cached pure functions that do the work (through convviz)
- :mod:`ui.theme`: the page's CSS, from :mod:`convviz.figures.style`'s colours
- the stack page (``/stack``): :mod:`ui.stack_page` (what Streamlit runs), :mod:`ui.stack`
  (its sections), :mod:`ui.stack_state` (its state, link and cached work)

Nothing here computes: sizes, formulas, frames, captions, legends and file names come from
convviz. Nothing under ``convviz/`` imports this package or streamlit.
"""

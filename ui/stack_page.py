"""The stack page as Streamlit runs it (``st.Page("ui/stack_page.py")`` in ``app.py``): the
page itself is :func:`ui.stack.stack_page`."""
from ui.stack import stack_page

stack_page()

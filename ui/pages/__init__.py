"""One module per page; `ui/app.py` registers them with `st.navigation`."""

"""The Streamlit app (entry point for `streamlit run`)."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Footnote", page_icon="📎", layout="wide")
st.title("Footnote")
st.caption("Every number computed with a receipt or quoted from a cited source.")

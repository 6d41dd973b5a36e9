"""Fashion-MNIST CNN classroom demo (placeholder page; the full app follows)."""

import streamlit as st

st.set_page_config(page_title="CNN 08-2", page_icon="👕")
st.title("합성곱 신경망 · Fashion-MNIST")
st.write("Loading the app...")

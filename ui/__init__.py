"""The Streamlit side of the demo: each view reads widgets, hands plain values to `cnn`, and draws what comes back."""

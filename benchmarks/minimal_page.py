"""The yardstick for the site bench: a minimal Streamlit page holding one Plotly chart."""

import plotly.graph_objects as go
import streamlit as st

st.title("One chart")
fig = go.Figure(go.Scatter(x=list(range(40)), y=[i % 7 for i in range(40)], mode="markers"))
fig.update_layout(title="A minimal chart", height=500)
st.plotly_chart(fig, key="chart", theme=None, width="stretch")

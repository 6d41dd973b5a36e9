"""The model side of the classroom demo: data, model, training, evaluation, preprocessing, prediction, plots.

Nothing here imports streamlit; the app hands plain values in and draws what comes back.
"""

import os

# TensorFlow prints start-up notices (oneDNN, missing CUDA) at INFO level that mean
# nothing on a classroom laptop; keep its warnings and errors.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

"""The chapter's code (08-2) as written, as one function the speed benchmarks can time.

The lines inside `run` are the chapter's, in its order, with the one change Keras 3 asks
for (metrics in a list) and three a benchmark needs: the arrays come in as arguments
(keras.datasets.fashion_mnist.load_data() would go to the internet; cnn.data.load_raw reads
the same bytes from the Debian package), the figures (summary, plot_model, matplotlib) are
left out because they are not training, and the results come back as a dict instead of
being shown. `epochs` is the chapter's 20 unless a smoke run asks for fewer.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time


def run(train_input, train_target, test_input, test_target, epochs: int = 20, verbose="auto") -> dict:
    """Train and evaluate exactly like the chapter; return its history, times and accuracies."""
    from sklearn.model_selection import train_test_split
    from tensorflow import keras

    started = time.perf_counter()
    train_scaled = train_input.reshape(-1, 28, 28, 1) / 255.0
    train_scaled, val_scaled, train_target, val_target = train_test_split(
        train_scaled, train_target, test_size=0.2, random_state=42
    )

    model = keras.Sequential()
    model.add(keras.layers.Conv2D(32, kernel_size=3, activation="relu", padding="same", input_shape=(28, 28, 1)))
    model.add(keras.layers.MaxPooling2D(2))
    model.add(keras.layers.Conv2D(64, kernel_size=3, activation="relu", padding="same"))
    model.add(keras.layers.MaxPooling2D(2))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(100, activation="relu"))
    model.add(keras.layers.Dropout(0.4))
    model.add(keras.layers.Dense(10, activation="softmax"))

    # The chapter's metrics='accuracy'; Keras 3 wants the one metric in a list.
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    # The chapter writes best-cnn-model.h5 into the notebook's folder; a temporary one here.
    folder = tempfile.mkdtemp(prefix="chapter-script-")
    checkpoint_cb = keras.callbacks.ModelCheckpoint(os.path.join(folder, "best-cnn-model.h5"))
    early_stopping_cb = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    fit_started = time.perf_counter()
    history = model.fit(
        train_scaled,
        train_target,
        epochs=epochs,
        validation_data=(val_scaled, val_target),
        callbacks=[checkpoint_cb, early_stopping_cb],
        verbose=verbose,
    )
    fit_seconds = time.perf_counter() - fit_started
    seconds = time.perf_counter() - started

    _, val_accuracy = model.evaluate(val_scaled, val_target, verbose=verbose)
    test_scaled = test_input.reshape(-1, 28, 28, 1) / 255.0
    _, test_accuracy = model.evaluate(test_scaled, test_target, verbose=verbose)
    shutil.rmtree(folder, ignore_errors=True)
    val_losses = history.history["val_loss"]
    return {
        "history": {key: [float(value) for value in values] for key, values in history.history.items()},
        "seconds": seconds,  # from the raw arrays to the trained model
        "fit_seconds": fit_seconds,
        "epochs_run": len(val_losses),
        "best_epoch": val_losses.index(min(val_losses)) + 1,
        "val_accuracy": float(val_accuracy),
        "test_accuracy": float(test_accuracy),
        "parameters": model.count_params(),
    }

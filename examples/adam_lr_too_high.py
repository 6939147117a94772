"""A binary classifier whose Adam learning rate is 500x too high: kerascheck reports KC201.

Everything else is right: the synthetic features are standardised, the head is one sigmoid unit trained
with binary cross-entropy, and the labels are 0/1. With ``learning_rate=0.5`` Adam moves every weight by
about 0.5 per step, so after a few batches the loss is NaN (or accuracy sticks at the majority class).
Change it to ``learning_rate=1e-3`` (Adam's default) and the model trains to ~90% validation accuracy.
"""

import numpy as np
import keras
from keras import layers
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = make_classification(
    n_samples=5000, n_features=20, n_informative=10, n_redundant=4, random_state=42
)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)

scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train)
X_val = scaler.transform(X_val)

model = keras.Sequential(
    [
        keras.Input(shape=(20,)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.5),  # KC201: Adam tolerates at most ~0.01
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(
    X_train,
    y_train,
    validation_data=(X_val, y_val),
    epochs=30,
    batch_size=64,
)

val_loss, val_acc = model.evaluate(X_val, y_val, verbose=0)
print(f"validation loss {val_loss:.4f}, accuracy {val_acc:.3f}")
print("predicted positives:", int(np.sum(model.predict(X_val, verbose=0) > 0.5)))

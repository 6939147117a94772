# make_blobs gives integer cluster ids, but the model is compiled with categorical_crossentropy, which
# expects one-hot rows (KC108): Keras fails on the shapes or trains on a wrong target.
import numpy as np
from sklearn.datasets import make_blobs
from tensorflow import keras
from tensorflow.keras import layers

X, y = make_blobs(n_samples=1500, centers=4, n_features=2, cluster_std=1.5, random_state=3)

model = keras.Sequential()
model.add(layers.Dense(16, activation="relu", input_shape=(2,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(4, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X, y, epochs=50, batch_size=16, verbose=2)

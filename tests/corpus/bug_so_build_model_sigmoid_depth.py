# A helper that builds and trains: build_model(depth=8) stacks eight sigmoid layers in a loop, so the
# gradient vanishes before it reaches the first ones (KC401).
import numpy as np
from tensorflow import keras


def build_model(n_features, depth, units=64):
    model = keras.Sequential()
    model.add(keras.layers.Dense(units, activation="sigmoid", input_shape=(n_features,)))
    for _ in range(depth):
        model.add(keras.layers.Dense(units, activation="sigmoid"))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def train(X, y):
    model = build_model(X.shape[1], depth=8)
    model.fit(X, y, epochs=50, batch_size=32, validation_split=0.1)
    return model


if __name__ == "__main__":
    data = np.load("features.npz")
    train(data["X"], data["y"])

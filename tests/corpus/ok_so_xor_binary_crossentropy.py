# XOR with literal arrays, a small tanh hidden layer, a sigmoid output and binary cross-entropy:
# the 0/1 targets match the head and the loss.
import numpy as np
from tensorflow import keras

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
y = np.array([0, 1, 1, 0], dtype="float32")

model = keras.Sequential([
    keras.Input(shape=(2,)),
    keras.layers.Dense(8, activation="tanh"),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy",
              metrics=["accuracy"])
model.fit(X, y, epochs=500, verbose=0)
print(model.predict(X).round())

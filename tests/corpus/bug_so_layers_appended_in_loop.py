# Layers collected with .append in a loop over a list of sizes, then passed to Sequential: five
# sigmoid layers in a row with nothing normalising between them (KC401).
import numpy as np
from tensorflow import keras

sizes = [256, 128, 64, 32, 16]
stack = [keras.Input(shape=(30,))]
for size in sizes:
    stack.append(keras.layers.Dense(size, activation="sigmoid"))
stack.append(keras.layers.Dense(1, activation="sigmoid"))
model = keras.Sequential(stack)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

X = np.load("X.npy")
y = np.load("y.npy")
model.fit(X, y, epochs=40, batch_size=64)

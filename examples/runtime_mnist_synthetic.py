"""An MNIST classifier fed raw pixels, for the runtime pass: `kerascheck run --synthetic-data examples/runtime_mnist_synthetic.py`.

``--synthetic-data`` replaces ``keras.datasets.mnist.load_data()`` by offline arrays of the real form
(uint8 images 0-255, labels 0-9), so the check needs no download. The script reshapes and casts the
images but never divides by 255: the first layer sees inputs up to 255, its pre-activations are
hundreds of times larger than the He initialisation assumes, and the initial loss is far above
chance, so the first Adam steps throw the weights around and accuracy stalls well below the ~98% the
scaled version reaches. The runtime pass measures the inputs (and the loss at step 0) on the live
model and names the line; the fix is ``x_train = x_train.reshape(-1, 784).astype("float32") / 255``.
"""

import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32")
x_test = x_test.reshape(-1, 784).astype("float32")

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=5, validation_data=(x_test, y_test))
print("test accuracy:", model.evaluate(x_test, y_test, verbose=0)[1])

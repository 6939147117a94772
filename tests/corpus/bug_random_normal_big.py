# Hand-set initialisation (Keras 3): RandomNormal(stddev=1.0) on every hidden layer of a deep ReLU MLP (~20x the
# He scale for 784/512 inputs) makes activations grow layer by layer until the loss is NaN -> KC405, reported
# once for the model, on the first oversized initializer.
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(512, activation="relu", kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0)),
        layers.Dense(512, activation="relu", kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0)),
        layers.Dense(256, activation="relu", kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0)),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=10, validation_data=(x_test, y_test))

loss, acc = model.evaluate(x_test, y_test, verbose=0)
print("test loss:", loss)  # nan

import numpy as np

first_batch = model.predict(x_test[:8])
print("any NaN in predictions:", np.isnan(first_batch).any())
for layer in model.layers:
    weights = layer.get_weights()[0]
    print(layer.name, weights.std())

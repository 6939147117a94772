# The hidden layers are spliced into Sequential with *[...]: six sigmoid layers in a row (KC401).
import tensorflow as tf
from tensorflow.keras import layers

(x_train, y_train), _ = tf.keras.datasets.fashion_mnist.load_data()
x_train = x_train / 255.0

model = tf.keras.Sequential([
    layers.Flatten(input_shape=(28, 28)),
    *[layers.Dense(128, activation="sigmoid") for _ in range(6)],
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=15)

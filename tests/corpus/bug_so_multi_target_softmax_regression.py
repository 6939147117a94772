# Three continuous targets predicted through a softmax (their outputs must sum to 1) (KC112), with an
# accuracy metric on a regression (KC106).
from sklearn.datasets import make_regression
import tensorflow as tf

X, Y = make_regression(n_samples=1200, n_features=6, n_targets=3, noise=0.5)

inputs = tf.keras.Input(shape=(6,))
x = tf.keras.layers.Dense(64, activation="relu")(inputs)
x = tf.keras.layers.Dense(32, activation="relu")(x)
outputs = tf.keras.layers.Dense(3, activation="softmax")(x)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
model.fit(X, Y, epochs=50, batch_size=32)

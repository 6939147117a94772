# Digits with a linear output layer (no softmax) and sparse_categorical_crossentropy without
# from_logits=True: the loss takes the log of raw scores (KC102).
from sklearn.datasets import load_digits
import tensorflow as tf

X, y = load_digits(return_X_y=True)
X = X / 16.0

model = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation="relu", input_shape=(64,)),
    tf.keras.layers.Dense(10),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=20, validation_split=0.2)

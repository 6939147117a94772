# Someone "tuning" Adam set epsilon=0: the update divides by sqrt(v) + 0, which is 0 for weights that
# got no gradient yet, so the weights become NaN (KC204).
import numpy as np
import tensorflow as tf

X = np.random.rand(2000, 12).astype("float32")
y = (X.sum(axis=1) > 6).astype("float32")

model = tf.keras.Sequential([
    tf.keras.layers.Dense(32, activation="relu", input_shape=(12,)),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
opt = tf.keras.optimizers.Adam(learning_rate=0.001, epsilon=0)
model.compile(optimizer=opt, loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=10)

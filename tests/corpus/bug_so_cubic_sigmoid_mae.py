# Fitting a cubic on [-2, 2]: the targets run from -8 to 8, the output is a sigmoid (KC112).
import numpy as np
import tensorflow as tf

x_train = np.linspace(-2, 2, 2000)
y_train = np.power(x_train, 3)

model = tf.keras.Sequential()
model.add(tf.keras.layers.Dense(64, activation="relu", input_shape=(1,)))
model.add(tf.keras.layers.Dense(64, activation="relu"))
model.add(tf.keras.layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="mae")
model.fit(x_train, y_train, epochs=100, batch_size=64)

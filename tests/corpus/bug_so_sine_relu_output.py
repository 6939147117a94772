# "LSTM can't learn a sine wave, predictions are flat at zero": the targets are sin(t), half of them
# negative, and the output layer is relu, which cannot go below 0 (KC112).
import numpy as np
import tensorflow as tf

t = np.linspace(0, 50, 5000)
series = np.sin(t)
window = 20
X = np.array([series[i:i + window] for i in range(len(series) - window)])
y = np.sin(t[window:])
X = X.reshape(-1, window, 1)

model = tf.keras.Sequential([
    tf.keras.layers.LSTM(32, input_shape=(window, 1)),
    tf.keras.layers.Dense(1, activation="relu"),
])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=20, batch_size=64)

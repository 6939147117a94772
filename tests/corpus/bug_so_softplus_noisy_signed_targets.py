# Targets are zero-mean noise around a signed trend (about -30 to 30), but the output layer is softplus,
# which is always positive (KC112).
import numpy as np
from tensorflow import keras

X = np.random.uniform(-1, 1, size=(3000, 4))
y = np.random.normal(0, 10, 3000)

model = keras.Sequential([
    keras.layers.Dense(32, activation="relu", input_shape=(4,)),
    keras.layers.Dense(1, activation="softplus"),
])
model.compile(optimizer="adam", loss="huber")
model.fit(X, y, epochs=40, batch_size=32)

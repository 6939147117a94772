# Old tutorial optimizer SGD(lr=..., decay=...) (KC205 on each keyword), fitting y = x^2 on [0, 5]
# (targets up to 25) with a sigmoid output (KC112).
import numpy as np
from tensorflow import keras

x = np.linspace(0, 5, 1000).reshape(-1, 1)
y = np.square(x)

model = keras.Sequential()
model.add(keras.layers.Dense(20, activation="tanh", input_shape=(1,)))
model.add(keras.layers.Dense(1, activation="sigmoid"))
sgd = keras.optimizers.SGD(lr=0.01,
                           decay=1e-6, momentum=0.9)
model.compile(loss="mse", optimizer=sgd)
model.fit(x, y, epochs=300, batch_size=50)

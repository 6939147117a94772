# Toy data for a question about a stuck loss: integer features drawn up to 5000 go straight into a
# Dense network with no scaling (KC302); the linear head and mse fit the summed targets.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

X = np.random.randint(1, 5000, size=(10000, 3))
y = X.sum(axis=1)

model = Sequential()
model.add(Dense(32, input_dim=3, activation="relu"))
model.add(Dense(16, activation="relu"))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam", metrics=["mae"])
model.fit(X, y, epochs=30, batch_size=64)

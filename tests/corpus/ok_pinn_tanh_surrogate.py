# PINN-style surrogate regression (Keras 3): four tanh hidden layers of 100 units, the standard physics-informed
# architecture; zero-centred tanh at this depth trains fine (only sigmoid-like runs of 3+ or very deep tanh runs
# are saturating stacks). StandardScaler inputs, linear head, mse. Correct program: no findings.
import numpy as np
import keras
from keras import layers
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

data = np.load("heat_equation_samples.npz")
X = np.stack([data["x"], data["t"], data["alpha"]], axis=1)
u = data["u"]

X_train, X_val, u_train, u_val = train_test_split(X, u, test_size=0.1, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train)
X_val = scaler.transform(X_val)

inputs = keras.Input(shape=(3,))
h = layers.Dense(100, activation="tanh")(inputs)
h = layers.Dense(100, activation="tanh")(h)
h = layers.Dense(100, activation="tanh")(h)
h = layers.Dense(100, activation="tanh")(h)
outputs = layers.Dense(1)(h)
surrogate = keras.Model(inputs, outputs, name="heat_surrogate")

surrogate.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse", metrics=["mae"])
surrogate.fit(X_train, u_train, validation_data=(X_val, u_val), epochs=500, batch_size=256)

grid = scaler.transform(np.stack([np.linspace(0, 1, 101), np.full(101, 0.5), np.full(101, 0.01)], axis=1))
print(surrogate.predict(grid).ravel()[:10])
surrogate.save("heat_surrogate.keras")

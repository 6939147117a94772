# XOR with a deep stack written as a list comprehension: ten sigmoid layers in a row make the gradient
# vanish (KC401), and the 0/1 targets are fit with mean squared error on a sigmoid (KC107).
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([0, 1, 1, 0])

hidden = [Dense(8, activation='sigmoid') for _ in range(10)]
model = Sequential([Dense(8, activation='sigmoid', input_dim=2)] + hidden + [Dense(1, activation='sigmoid')])
model.compile(loss='mean_squared_error', optimizer=SGD(learning_rate=0.1))
model.fit(X, y, epochs=5000, verbose=0)
print(model.predict(X))

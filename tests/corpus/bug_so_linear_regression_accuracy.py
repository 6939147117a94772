# "Accuracy is 0.0 but loss goes down": a regression on y = 0.5x + 2 reports accuracy (KC106).
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

X = np.arange(0, 100, 0.5)
y = 0.5 * X + 2 + np.random.normal(0, 1, len(X))

model = Sequential()
model.add(Dense(10, input_dim=1, activation='relu'))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam', metrics=['accuracy'])
model.fit(X, y, epochs=200, batch_size=10)

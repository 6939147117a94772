# Tiny hand-written dataset: the labels are written as one-hot rows, but the loss is
# sparse_categorical_crossentropy, which expects class indexes (KC108).
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

X = np.array([[5.1, 3.5, 1.4, 0.2],
              [7.0, 3.2, 4.7, 1.4],
              [6.3, 3.3, 6.0, 2.5],
              [4.9, 3.0, 1.4, 0.2],
              [6.4, 3.2, 4.5, 1.5],
              [5.8, 2.7, 5.1, 1.9]])
y = np.array([[1, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1]])

model = Sequential()
model.add(Dense(8, input_dim=4, activation='relu'))
model.add(Dense(3, activation='softmax'))
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X, y, epochs=500, verbose=0)

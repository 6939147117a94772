# Keras 2 tutorial-style MNIST MLP: a softmax classifier trained with mean_squared_error on one-hot labels
# (tiny gradients through the softmax, learning crawls) -> KC107.
from keras.datasets import mnist
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import SGD
from keras.utils import to_categorical

(X_train, y_train), (X_test, y_test) = mnist.load_data()
num_pixels = X_train.shape[1] * X_train.shape[2]
X_train = X_train.reshape(X_train.shape[0], num_pixels).astype("float32") / 255
X_test = X_test.reshape(X_test.shape[0], num_pixels).astype("float32") / 255
y_train = to_categorical(y_train)
y_test = to_categorical(y_test)
num_classes = y_test.shape[1]

model = Sequential()
model.add(Dense(num_pixels, input_dim=num_pixels, activation="relu"))
model.add(Dense(num_classes, activation="softmax"))
model.compile(loss="mean_squared_error", optimizer=SGD(learning_rate=0.01))
model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=10, batch_size=200, verbose=2)
scores = model.evaluate(X_test, y_test, verbose=0)
print("Baseline loss: %.4f" % scores)

import numpy as np

predictions = model.predict(X_test[:10])
print("predicted:", np.argmax(predictions, axis=1))
print("true:     ", np.argmax(y_test[:10], axis=1))
model.save("mnist_mse.h5")

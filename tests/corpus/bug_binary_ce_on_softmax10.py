# SO "binary_crossentropy gives 98% accuracy but categorical_crossentropy 90%" (Keras 2-style imports): a 10-way
# softmax trained with binary_crossentropy; the reported 'accuracy' is per-unit and meaningless -> KC104.
from keras.datasets import mnist
from keras.layers import Dense, Dropout
from keras.models import Sequential
from keras.utils import to_categorical

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(60000, 784).astype("float32") / 255
x_test = x_test.reshape(10000, 784).astype("float32") / 255
y_train = to_categorical(y_train, 10)
y_test = to_categorical(y_test, 10)

model = Sequential()
model.add(Dense(512, activation="relu", input_shape=(784,)))
model.add(Dropout(0.2))
model.add(Dense(512, activation="relu"))
model.add(Dropout(0.2))
model.add(Dense(10, activation="softmax"))

model.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=20, verbose=1, validation_data=(x_test, y_test))
score = model.evaluate(x_test, y_test, verbose=0)
print("Test accuracy:", score[1])

import numpy as np
from sklearn.metrics import classification_report

pred = np.argmax(model.predict(x_test), axis=1)
true = np.argmax(y_test, axis=1)
print(classification_report(true, pred))
print("'accuracy' reported during training:", history.history["accuracy"][-1])

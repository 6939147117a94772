# Legacy project pinned to Keras 2 through tf_keras (TF_USE_LEGACY_KERAS=1): legacy SGD(lr=..., decay=...) is
# valid there, so no removed-argument finding; Reuters MLP, Dense + Activation('softmax') head with
# categorical_crossentropy. Correct program: no findings.
import numpy as np
import tf_keras as keras
from tf_keras.datasets import reuters
from tf_keras.preprocessing.text import Tokenizer

max_words = 1000
batch_size = 32
epochs = 5

(x_train, y_train), (x_test, y_test) = reuters.load_data(num_words=max_words, test_split=0.2)
num_classes = np.max(y_train) + 1

tokenizer = Tokenizer(num_words=max_words)
x_train = tokenizer.sequences_to_matrix(x_train, mode="binary")
x_test = tokenizer.sequences_to_matrix(x_test, mode="binary")
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = keras.models.Sequential()
model.add(keras.layers.Dense(512, input_shape=(max_words,)))
model.add(keras.layers.Activation("relu"))
model.add(keras.layers.Dropout(0.5))
model.add(keras.layers.Dense(num_classes))
model.add(keras.layers.Activation("softmax"))

sgd = keras.optimizers.legacy.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss="categorical_crossentropy", optimizer=sgd, metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, verbose=1, validation_split=0.1)
score = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=1)
print("Test accuracy:", score[1])

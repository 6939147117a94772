# SO-style attention over LSTM states (tf.keras functional): Dense(1, tanh) scores -> Flatten ->
# Activation('softmax') over the time steps -> RepeatVector/Permute -> multiply. That softmax produces attention
# weights (not a one-unit or hidden classifier softmax); sigmoid head + binary_crossentropy. Correct: no findings.
import tensorflow as tf
from tensorflow.keras import Model, layers
from tensorflow.keras.datasets import imdb
from tensorflow.keras.preprocessing.sequence import pad_sequences

MAX_WORDS = 10000
MAX_LEN = 250
UNITS = 64

(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=MAX_WORDS)
x_train = pad_sequences(x_train, maxlen=MAX_LEN)
x_test = pad_sequences(x_test, maxlen=MAX_LEN)

inputs = layers.Input(shape=(MAX_LEN,))
embedded = layers.Embedding(MAX_WORDS, 128)(inputs)
activations = layers.LSTM(UNITS, return_sequences=True)(embedded)

# compute importance for each step
attention = layers.Dense(1, activation="tanh")(activations)
attention = layers.Flatten()(attention)
attention = layers.Activation("softmax")(attention)
attention = layers.RepeatVector(UNITS)(attention)
attention = layers.Permute([2, 1])(attention)

sent_representation = layers.multiply([activations, attention])
sent_representation = layers.Lambda(lambda xin: tf.reduce_sum(xin, axis=1))(sent_representation)

probabilities = layers.Dense(1, activation="sigmoid")(sent_representation)
model = Model(inputs=inputs, outputs=probabilities)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=3, batch_size=64)

# Stack Overflow style: "my LSTM sentiment model stays at 50% accuracy".
# Bug: the padded token ids are normalised with keras.utils.normalize before the Embedding, so
# every id truncates to 0 (KC304).
from tensorflow import keras
from tensorflow.keras import layers

max_words = 10000
maxlen = 200
(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=max_words)
x_train = keras.preprocessing.sequence.pad_sequences(x_train, maxlen=maxlen)
x_test = keras.preprocessing.sequence.pad_sequences(x_test, maxlen=maxlen)
x_train = keras.utils.normalize(x_train)
x_test = keras.utils.normalize(x_test)

model = keras.Sequential([
    layers.Embedding(max_words, 64, input_length=maxlen),
    layers.LSTM(64),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(clipnorm=1.0), loss="binary_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, epochs=5, batch_size=128, validation_data=(x_test, y_test))

# Stack Overflow style: "Error when checking target: expected dense_1 to have 3 dimensions, but
# got array with shape (25000, 1)".
# Bug: the last LSTM keeps return_sequences=True, so the Dense head predicts at every timestep
# while the IMDB labels are one per review (KC411).
from keras.datasets import imdb
from keras.preprocessing import sequence
from keras.models import Sequential
from keras.layers import Dense, Embedding, LSTM
from keras.optimizers import Adam

(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=20000)
x_train = sequence.pad_sequences(x_train, maxlen=80)
x_test = sequence.pad_sequences(x_test, maxlen=80)

model = Sequential()
model.add(Embedding(20000, 128))
model.add(LSTM(128, dropout=0.2, return_sequences=True))
model.add(LSTM(64, dropout=0.2, return_sequences=True))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer=Adam(clipnorm=1.0), metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=32, epochs=5, validation_data=(x_test, y_test))

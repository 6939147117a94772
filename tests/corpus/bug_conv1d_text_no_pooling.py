# Stack Overflow style: "ValueError: Shapes (None, 1) and (None, 98, 1) are incompatible".
# Bug: the Conv1D/MaxPooling1D feature map goes straight into Dense, so the model predicts one
# value per timestep while the IMDB labels are one per review (KC409).
from keras.datasets import imdb
from keras.preprocessing.sequence import pad_sequences
from keras.models import Sequential
from keras.layers import Embedding, Conv1D, MaxPooling1D, Dense, Dropout

(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=5000)
x_train = pad_sequences(x_train, maxlen=400)
x_test = pad_sequences(x_test, maxlen=400)

model = Sequential()
model.add(Embedding(5000, 50, input_length=400))
model.add(Dropout(0.2))
model.add(Conv1D(250, 3, padding='valid', activation='relu', strides=1))
model.add(MaxPooling1D(4))
model.add(Dense(250, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_test, y_test))

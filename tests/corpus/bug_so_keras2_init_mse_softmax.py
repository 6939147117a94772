# Keras 2 script: init= and nb_epoch= are gone (KC901), and a softmax classifier on one-hot labels is
# trained with mean squared error (KC107).
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.utils import to_categorical
from keras.datasets import reuters
from keras.preprocessing.text import Tokenizer

(x_train, y_train), (x_test, y_test) = reuters.load_data(num_words=1000)
tokenizer = Tokenizer(num_words=1000)
x_train = tokenizer.sequences_to_matrix(x_train, mode="binary")
y_train = to_categorical(y_train, 46)

model = Sequential()
model.add(Dense(512, input_shape=(1000,), init="uniform", activation="relu"))
model.add(Dropout(0.5))
model.add(Dense(46, init="uniform", activation="softmax"))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(x_train, y_train, nb_epoch=5, batch_size=32)

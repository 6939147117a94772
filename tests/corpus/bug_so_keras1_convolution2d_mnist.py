# Keras 1 MNIST CNN: Convolution2D(32, 3, 3) now reads the third number as the stride (KC902),
# border_mode= and nb_epoch= are gone (KC901), and the pixels are never scaled (KC301).
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense
from keras.utils import np_utils

(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train.reshape(X_train.shape[0], 28, 28, 1).astype('float32')
Y_train = np_utils.to_categorical(y_train, 10)

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='valid', activation='relu', input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(128, activation='relu'))
model.add(Dense(10, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adadelta', metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=128, nb_epoch=12, verbose=1)

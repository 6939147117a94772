# Two moons with a single softmax unit: the softmax of one value is always 1.0, so the loss never moves
# and accuracy sits at 50% (KC101).
from sklearn.datasets import make_moons
from keras.models import Sequential
from keras.layers import Dense, Activation

X, y = make_moons(n_samples=1000, noise=0.2, random_state=0)

model = Sequential()
model.add(Dense(10, input_shape=(2,)))
model.add(Activation('relu'))
model.add(Dense(10))
model.add(Activation('relu'))
model.add(Dense(1))
model.add(Activation('softmax'))
model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(X, y, epochs=200, batch_size=32)

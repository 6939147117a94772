# Stack Overflow style: "my Keras network is no better than logistic regression on moons".
# Bug: the only hidden layer has no activation, so Dense(32) and the sigmoid layer are one linear
# map and the model cannot bend its decision boundary (KC402).
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from keras.models import Sequential
from keras.layers import Dense

X, y = make_moons(n_samples=2000, noise=0.2, random_state=1)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3)

model = Sequential()
model.add(Dense(32, input_dim=2))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X_train, y_train, epochs=100, batch_size=32, validation_data=(X_test, y_test))

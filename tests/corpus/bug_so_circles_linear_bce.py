# make_circles with a linear one-unit output and binary_crossentropy without from_logits=True (KC102).
from sklearn.datasets import make_circles
from keras.models import Sequential
from keras.layers import Dense

X, y = make_circles(n_samples=1000, noise=0.05, factor=0.5)

model = Sequential()
model.add(Dense(16, input_dim=2, activation="relu"))
model.add(Dense(16, activation="relu"))
model.add(Dense(1))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X, y, epochs=100, batch_size=20)

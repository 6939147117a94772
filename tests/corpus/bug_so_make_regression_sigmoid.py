# Stack Overflow style: "Keras regression predicts the same value for every input". make_regression
# targets are signed and in the hundreds, but the output layer is a sigmoid (KC112), and "accuracy" is
# reported for a regression loss (KC106).
import numpy as np
from sklearn.datasets import make_regression
from sklearn.model_selection import train_test_split
from keras.models import Sequential
from keras.layers import Dense

X, y = make_regression(n_samples=2000, n_features=8, noise=5.0, random_state=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)

model = Sequential()
model.add(Dense(64, input_dim=8, activation='relu'))
model.add(Dense(32, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='mean_squared_error', optimizer='adam', metrics=['accuracy'])
model.fit(X_train, y_train, epochs=100, batch_size=32, validation_data=(X_test, y_test))

pred = model.predict(X_test)
print(pred[:10])  # all 1.0 or 0.0

# Boston housing from keras.datasets: prices between 5 and 50 (thousands of dollars) predicted through a
# sigmoid (KC112), with an accuracy metric on a regression (KC106).
from keras.datasets import boston_housing
from keras.models import Sequential
from keras.layers import Dense

(train_data, train_targets), (test_data, test_targets) = boston_housing.load_data()
mean = train_data.mean(axis=0)
std = train_data.std(axis=0)
train_data = (train_data - mean) / std
test_data = (test_data - mean) / std

model = Sequential()
model.add(Dense(64, activation='relu', input_shape=(train_data.shape[1],)))
model.add(Dense(64, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='rmsprop', loss='mse', metrics=['accuracy'])
model.fit(train_data, train_targets, epochs=80, batch_size=16, verbose=0)

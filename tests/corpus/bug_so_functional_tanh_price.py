# Functional model whose output goes through Activation("tanh"): the California housing targets reach
# 500,000 dollars and tanh stops at 1 (KC112).
from tensorflow.keras.datasets import california_housing
from tensorflow.keras.layers import Input, Dense, Activation, BatchNormalization
from tensorflow.keras.models import Model

(x_train, y_train), (x_test, y_test) = california_housing.load_data()
x_train = (x_train - x_train.mean(axis=0)) / x_train.std(axis=0)

inputs = Input(shape=(8,))
h = Dense(64, activation="relu")(inputs)
h = BatchNormalization()(h)
h = Dense(32, activation="relu")(h)
h = Dense(1)(h)
outputs = Activation("tanh")(h)
model = Model(inputs=inputs, outputs=outputs)
model.compile(optimizer="adam", loss="huber")
model.fit(x_train, y_train, epochs=30, batch_size=64)

# Boston housing regression (tf.keras, "Deep Learning with Python" style) monitored with 'accuracy': exact-match
# accuracy of a real-valued prediction is ~0 and meaningless -> KC106 on the metric string.
from tensorflow import keras

(train_data, train_targets), (test_data, test_targets) = keras.datasets.boston_housing.load_data()

mean = train_data.mean(axis=0)
std = train_data.std(axis=0)
train_data = (train_data - mean) / std
test_data = (test_data - mean) / std


def build_model():
    model = keras.Sequential(
        [
            keras.layers.Dense(64, activation="relu", input_shape=(train_data.shape[1],)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="rmsprop",
                  loss="mse",
                  metrics=["mae",
                           "accuracy"])
    return model


model = build_model()
history = model.fit(train_data, train_targets, epochs=80, batch_size=16, validation_split=0.2, verbose=0)
print(history.history["accuracy"][-1])  # 0.0 -- "why is my accuracy zero?"

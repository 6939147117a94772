# Reuters newswire classifier ("Deep Learning with Python", tf.keras) with an ExponentialDecay schedule that
# starts Adam at 0.1: the first hundred steps diverge before the decay helps -> KC201 on the optimizer's
# learning_rate argument (the schedule variable).
import numpy as np
import tensorflow as tf

(train_data, train_labels), (test_data, test_labels) = tf.keras.datasets.reuters.load_data(num_words=10000)


def vectorize_sequences(sequences, dimension=10000):
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.0
    return results


x_train = vectorize_sequences(train_data)
x_test = vectorize_sequences(test_data)
y_train = tf.keras.utils.to_categorical(train_labels)
y_test = tf.keras.utils.to_categorical(test_labels)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(64, activation="relu", input_shape=(10000,)),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(46, activation="softmax"),
    ]
)
lr_schedule = tf.keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=0.1,
    decay_steps=1000,
    decay_rate=0.96,
    staircase=True,
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=lr_schedule),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(x_train, y_train, epochs=20, batch_size=512, validation_data=(x_test, y_test))

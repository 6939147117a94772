# Textbook linear classifier: two Gaussian clouds labelled with np.zeros/np.ones, a one-unit linear
# model trained with mse and judged by a thresholded BinaryAccuracy. On 0/1 targets the metric is
# meaningful (no KC106).
import numpy as np
import tensorflow as tf

num_samples_per_class = 1000
negative = np.random.multivariate_normal(mean=[0, 3], cov=[[1, 0.5], [0.5, 1]],
                                         size=num_samples_per_class)
positive = np.random.multivariate_normal(mean=[3, 0], cov=[[1, 0.5], [0.5, 1]],
                                         size=num_samples_per_class)
inputs = np.vstack((negative, positive)).astype(np.float32)
targets = np.concatenate([np.zeros(num_samples_per_class), np.ones(num_samples_per_class)])

model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer=tf.keras.optimizers.RMSprop(learning_rate=0.1),
              loss=tf.keras.losses.MeanSquaredError(),
              metrics=[tf.keras.metrics.BinaryAccuracy()])
model.fit(inputs, targets, epochs=5, batch_size=128)

# Colab notebook saved as .py with IPython magics left in (%matplotlib, %load_ext, !pip): Fashion-MNIST MLP,
# /255 scaling, softmax head + sparse_categorical_crossentropy. Correct: no findings (magics must not stop linting).
%matplotlib inline
!pip install -q tensorflow==2.15.0
%load_ext tensorboard

import datetime

import matplotlib.pyplot as plt
import tensorflow as tf

!nvidia-smi

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = tf.keras.models.Sequential(
    [
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

log_dir = "logs/fit/" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
tensorboard_callback = tf.keras.callbacks.TensorBoard(log_dir=log_dir, histogram_freq=1)
history = model.fit(x_train, y_train, epochs=5, validation_data=(x_test, y_test), callbacks=[tensorboard_callback])

%tensorboard --logdir logs/fit
plt.imshow(x_test[0], cmap="gray")
print(model.predict(x_test[:1]).argmax())

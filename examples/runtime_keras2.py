"""A Keras 2 script with unscaled tabular features, for `kerascheck run --keras2-compat examples/runtime_keras2.py`.

Written the way many answers and tutorials still are: ``keras.layers.core``, ``SGD(lr=...)``,
``Dense(output_dim=..., init=...)``, ``fit_generator(..., nb_epoch=...)``. On Keras 3 it fails at the
first import, so without ``--keras2-compat`` the runtime checks never see the model; with it, each
Keras 2 spelling is mapped for the run and reported (KC205, KC901, KC902) so you still fix them.
The real bug is in the data: income (tens of thousands) and age (tens) go in unscaled next to 0/1
flags, so the first layer's pre-activations are thousands of times too large and SGD diverges. Fix:
standardise each column (``sklearn.preprocessing.StandardScaler``) before training.
"""

import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Dropout
from keras.optimizers import SGD

rng = np.random.default_rng(7)
n = 2000
income = rng.lognormal(10.5, 0.6, n)
age = rng.integers(18, 90, n).astype("float64")
owner = rng.integers(0, 2, n).astype("float64")
X = np.stack([income, age, owner], axis=1).astype("float32")
y = ((income > 40000) & (age < 60)).astype("float32")


def batches(batch_size=32):
    while True:
        index = rng.integers(0, n, batch_size)
        yield X[index], y[index]


model = Sequential()
model.add(Dense(output_dim=32, input_dim=3, init="uniform", activation="relu"))
model.add(Dropout(0.2))
model.add(Dense(1, init="uniform", activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.01, momentum=0.9), metrics=["accuracy"])
model.fit_generator(batches(), steps_per_epoch=60, nb_epoch=10, verbose=2)
